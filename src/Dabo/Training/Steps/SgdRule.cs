using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>
/// The classifier's update rule, defined once: SGD with momentum μ, weight decay λ (added to the
/// gradient) and optional Nesterov, PyTorch's convention:
/// <c>d = g + λ w; m' = μ m + d; w' = w − η m'</c> (Nesterov: <c>w' = w − η (d + μ m')</c>).
/// <see cref="Step"/> is the functional form (new tensors, differentiable: the bilevel look-ahead
/// keeps its graph); <see cref="StepInPlace"/> applies the same operations in place to the real
/// weights and buffers. Both run through one definition with the same kernels, so they agree bit
/// for bit.
/// </summary>
/// <param name="Momentum">μ.</param>
/// <param name="WeightDecay">λ.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
public sealed record SgdRule(double Momentum, double WeightDecay, bool Nesterov)
{
    /// <summary>The update as new tensors (graph kept when the inputs have one).</summary>
    /// <param name="weight">w.</param>
    /// <param name="buffer">Momentum buffer m.</param>
    /// <param name="gradient">g.</param>
    /// <param name="lr">Learning rate η.</param>
    /// <returns>w' and m'.</returns>
    public (Tensor Weight, Tensor Buffer) Step(Tensor weight, Tensor buffer, Tensor gradient, double lr) =>
        Apply(weight, buffer, gradient, lr, inPlace: false);

    /// <summary>The update in place: <paramref name="weight"/> and <paramref name="buffer"/> are overwritten (no graph).</summary>
    /// <param name="weight">w, a leaf (parameter) or plain tensor.</param>
    /// <param name="buffer">Momentum buffer m.</param>
    /// <param name="gradient">g.</param>
    /// <param name="lr">Learning rate η.</param>
    public void StepInPlace(Tensor weight, Tensor buffer, Tensor gradient, double lr)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Apply(weight, buffer, gradient, lr, inPlace: true);
    }

    /// <summary>
    /// ∂w'/∂g for one step from constants (w, m): <c>−η</c>, or <c>−η (1 + μ)</c> with Nesterov.
    /// The K = 1 identity multiplies the gradient–vector product by it.
    /// </summary>
    public double GradientFactor(double lr) => -lr * (Nesterov ? 1 + Momentum : 1);

    // The one definition. Each line is the same kernel in both forms (add with alpha is one fused
    // kernel, so d = g + λw rounds once whichever form runs).
    // The scalars are held (and disposed) here: an implicit conversion's temporary can be finalized by the GC while
    // libtorch still reads it, which corrupted updates at random (a crash every few hours of training).
    private (Tensor Weight, Tensor Buffer) Apply(Tensor w, Tensor m, Tensor g, double lr, bool inPlace)
    {
        using Scalar weightDecay = WeightDecay, momentum = Momentum, step = -lr, one = 1;
        var d = g.add(w, alpha: weightDecay);
        var next = inPlace ? m.mul_(momentum).add_(d, one) : m.mul(momentum).add(d, one);
        var update = Nesterov ? d.add(next, alpha: momentum) : next;
        var moved = inPlace ? w.add_(update, alpha: step) : w.add(update, alpha: step);
        return (moved, next);
    }
}
