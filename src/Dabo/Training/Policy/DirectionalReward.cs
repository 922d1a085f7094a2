using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Training.Policy;

/// <summary>
/// The learning signal of the learned policy: for each augmented training image i, the first-order
/// decrease of the validation loss that a gradient step on that image alone brings,
/// <c>r_i = ⟨∇_w ℓ_i(T_i x_i), v⟩</c> with <c>v = ∇_w L_val(w)</c> (times the learning rate, a
/// constant that standardized advantages remove). Computed without per-sample gradients as the
/// central difference <c>[ℓ_i(w + εv) − ℓ_i(w − εv)] / 2ε</c>: two extra forwards. BatchNorm uses
/// batch statistics as in the real step, and its running statistics are left untouched.
/// </summary>
public static class DirectionalReward
{
    /// <summary>Default relative step: ε = <c>0.01 / ‖v‖</c>, as for the finite-difference hypergradient.</summary>
    public const double DefaultRelativeStep = 0.01;

    /// <summary>
    /// <c>v = ∇_w CE(f(x_val; w), y_val)</c> with batch statistics (running statistics untouched).
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="weights">Its weights (leaf tensors that require gradients).</param>
    /// <param name="images">Validation batch, model input space.</param>
    /// <param name="labels">Its labels.</param>
    public static Tensor[] ValidationGradient(Classifier model, IReadOnlyList<Tensor> weights, Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.WithWeights(weights, w =>
        {
            using var scope = NewDisposeScope();
            var loss = nn.functional.cross_entropy(model.Forward(images, w, BatchNormMode.TrainNoUpdate), labels);
            var gradients = autograd.grad([loss], [.. w], allow_unused: true)
                .Select((g, i) => g is null || g.IsInvalid ? zeros_like(w[i]) : g.detach())
                .ToArray();
            foreach (var g in gradients)
            {
                g.MoveToOuterDisposeScope();
            }
            return gradients;
        });
    }

    /// <summary>
    /// Per-image <c>⟨∇_w ℓ_i, v⟩</c> <c>[N]</c> by central difference along v, no gradients kept.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="weights">Its weights w.</param>
    /// <param name="direction">v, one tensor per weight.</param>
    /// <param name="images">Augmented training images, model input space.</param>
    /// <param name="labels">Their labels.</param>
    /// <param name="relativeStep">ε·‖v‖.</param>
    public static Tensor Estimate(Classifier model, IReadOnlyList<Tensor> weights, IReadOnlyList<Tensor> direction, Tensor images, Tensor labels, double relativeStep = DefaultRelativeStep)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double norm = Math.Sqrt(direction.Sum(d => d.to_type(ScalarType.Float64).square().sum().item<double>()));
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return full([images.shape[0]], norm == 0 ? 0.0 : double.NaN, dtype: ScalarType.Float64).MoveToOuterDisposeScope();
        }
        double epsilon = relativeStep / norm;
        Tensor Losses(double sign)
        {
            var shifted = weights.Select((w, i) => w.detach() + direction[i] * (sign * epsilon)).ToList();
            return model.WithWeights(shifted, w =>
            {
                var logits = model.Forward(images, w, BatchNormMode.TrainNoUpdate);
                return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None).to_type(ScalarType.Float64);
            });
        }
        return ((Losses(1) - Losses(-1)) / (2 * epsilon)).MoveToOuterDisposeScope();
    }
}
