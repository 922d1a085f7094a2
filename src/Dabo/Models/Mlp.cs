using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// A small multilayer perceptron: the image is average-pooled to 8×8 (so any size works), flattened,
/// then Linear(C·64, 128)-BN-ReLU-Linear. It has no translation invariance of its own, which makes it
/// the probe of choice for whether an augmentation teaches invariances (and a fast baseline).
/// </summary>
public sealed class Mlp : Classifier
{
    /// <summary>Registry name.</summary>
    public const string RegistryName = "mlp";

    private const int Grid = 8;
    private const int Hidden = 128;

    private readonly LinearLayer _hidden;
    private readonly BatchNormLayer _bn;
    private readonly LinearLayer _head;

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    public Mlp(int inputChannels, int classCount) : base(RegistryName, inputChannels, classCount)
    {
        _hidden = Linear("hidden", inputChannels * Grid * Grid, Hidden);
        _bn = BatchNorm("bn", Hidden);
        _head = Linear("head", Hidden, classCount);
    }

    /// <inheritdoc/>
    protected override bool RunsChannelsLast => false;

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var pooled = nn.functional.adaptive_avg_pool2d(x, Grid).flatten(1);
        var h = nn.functional.relu(_bn.Apply(_hidden.Apply(pooled, weights), weights, mode));
        return _head.Apply(h, weights);
    }
}
