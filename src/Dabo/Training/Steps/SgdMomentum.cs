using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>
/// The real classifier optimizer: <see cref="SgdRule"/> applied in place to the parameters, with its
/// state (the momentum buffers) visible, because the bilevel look-ahead starts from exactly these
/// buffers and applies the same rule functionally.
/// </summary>
public sealed class SgdMomentum : IDisposable
{
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;

    /// <summary>Creates the optimizer with zero momentum buffers.</summary>
    public SgdMomentum(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, double momentum = 0.9, double weightDecay = 5e-4, bool nesterov = false)
    {
        _parameters = parameters;
        Rule = new SgdRule(momentum, weightDecay, nesterov);
        Buffers = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The update rule.</summary>
    public SgdRule Rule { get; }

    /// <summary>Momentum μ.</summary>
    public double Momentum => Rule.Momentum;

    /// <summary>Weight decay λ (L2, added to the gradient).</summary>
    public double WeightDecay => Rule.WeightDecay;

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov => Rule.Nesterov;

    /// <summary>The momentum buffers, one per parameter, in parameter order.</summary>
    public Tensor[] Buffers { get; }

    /// <summary>Parameters left untouched by <see cref="Step(IReadOnlyList{Tensor}, double)"/> (no update, no decay, momentum kept), by index; null: none.</summary>
    public IReadOnlyList<bool>? Frozen { get; set; }

    /// <summary>Applies one update with the given gradients (one per parameter) and learning rate.</summary>
    public void Step(IReadOnlyList<Tensor> gradients, double lr)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (Frozen is { } frozen && frozen[i])
            {
                continue;
            }
            Rule.StepInPlace(_parameters[i], Buffers[i], gradients[i], lr);
        }
    }

    /// <summary>Applies one update using each parameter's <c>.grad</c>.</summary>
    public void Step(double lr)
    {
        var grads = _parameters.Select(p => p.grad ?? zeros_like(p)).ToArray();
        Step(grads, lr);
    }

    /// <summary>Clears each parameter's <c>.grad</c>.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            p.grad?.zero_();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in Buffers)
        {
            b.Dispose();
        }
    }
}
