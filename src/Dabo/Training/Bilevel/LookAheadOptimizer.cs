namespace Dabo.Training.Bilevel;

/// <summary>
/// The classifier optimizer's hyper-parameters as the look-ahead sees them: the same update as
/// <see cref="SgdMomentum"/>, written with differentiable tensor operations.
/// </summary>
/// <param name="Momentum">μ.</param>
/// <param name="WeightDecay">λ.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
public sealed record LookAheadOptimizer(double Momentum, double WeightDecay, bool Nesterov)
{
    /// <summary>Reads the hyper-parameters of the real optimizer.</summary>
    public static LookAheadOptimizer Of(SgdMomentum optimizer) => new(optimizer.Momentum, optimizer.WeightDecay, optimizer.Nesterov);

    /// <summary>
    /// ∂w₁/∂g for one step from constants (w₀, m₀): <c>−η</c>, or <c>−η (1 + μ)</c> with Nesterov.
    /// The K = 1 identity multiplies the gradient–vector product by it.
    /// </summary>
    public double GradientFactor(double lr) => -lr * (Nesterov ? 1 + Momentum : 1);
}
