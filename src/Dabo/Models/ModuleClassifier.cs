using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// Any <c>nn.Module&lt;Tensor, Tensor&gt;</c> as a <see cref="Classifier"/>, for the typed API's custom models. It runs
/// with its own weights only: methods that evaluate the network at other weights do so through
/// <see cref="Classifier.WithWeights{T}"/>, which copies them in and back out; the exact hypergradient, which
/// differentiates through weights that carry a graph, needs a Dabo model's functional forward.
/// </summary>
internal sealed class ModuleClassifier : Classifier
{
    public ModuleClassifier(nn.Module<Tensor, Tensor> inner, int inputChannels, int classCount) : base("custom", inputChannels, classCount)
    {
        Inner = inner;
        register_module("inner", inner);
        SetWeightCount(parameters().Count());
    }

    /// <summary>The wrapped module.</summary>
    public nn.Module<Tensor, Tensor> Inner { get; }

    public override bool IsFunctional => false;

    // A user's module may view() its input, which a channels-last tensor does not allow.
    protected override bool RunsChannelsLast => false;

    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var own = Weights;
        for (int i = 0; i < own.Count; i++)
        {
            if (weights[i].Handle != own[i].Handle)
            {
                throw new DaboException(ExactNeedsFunctionalForward);
            }
        }
        if (mode == BatchNormMode.Eval)
        {
            Inner.eval();
        }
        else
        {
            Inner.train();
        }
        return Inner.call(x);
    }
}
