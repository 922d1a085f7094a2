using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// SGD with momentum, weight decay and optional Nesterov, written out so that its state (the
/// momentum buffers) is visible: the bilevel look-ahead starts from exactly these buffers and
/// applies exactly this update, <c>m ← μ m + g + λ w; w ← w − η m</c> (Nesterov:
/// <c>w ← w − η (g + λ w + μ m)</c>), PyTorch's convention.
/// </summary>
public sealed class SgdMomentum : IDisposable
{
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;

    /// <summary>Creates the optimizer with zero momentum buffers.</summary>
    public SgdMomentum(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, double momentum = 0.9, double weightDecay = 5e-4, bool nesterov = false)
    {
        _parameters = parameters;
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Buffers = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Momentum μ.</summary>
    public double Momentum { get; }

    /// <summary>Weight decay λ (L2, added to the gradient).</summary>
    public double WeightDecay { get; }

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>The momentum buffers, one per parameter, in parameter order.</summary>
    public Tensor[] Buffers { get; }

    /// <summary>Applies one update with the given gradients (one per parameter) and learning rate.</summary>
    public void Step(IReadOnlyList<Tensor> gradients, double lr)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            using var d = gradients[i].add(p, alpha: WeightDecay);
            Buffers[i].mul_(Momentum).add_(d);
            if (Nesterov)
            {
                using var update = d.add(Buffers[i], alpha: Momentum);
                p.add_(update, alpha: -lr);
            }
            else
            {
                p.add_(Buffers[i], alpha: -lr);
            }
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
