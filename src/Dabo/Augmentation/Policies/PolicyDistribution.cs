using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// A distribution over S operation slots of a <see cref="PolicySpace"/>: per slot, a categorical
/// over the operations and, per operation, a categorical over its magnitude bins, both given by
/// logits (zero logits: the uniform policy). Signs of signed operations are drawn with probability ½.
/// Sampling is by inverse CDF from one uniform tensor, so a distribution at zero logits draws
/// exactly what <see cref="UniformPolicy"/> draws from the same generator.
/// </summary>
public sealed class PolicyDistribution : IDisposable
{
    /// <summary>Creates the distribution at the uniform policy (all logits 0).</summary>
    /// <param name="space">The operations and bins.</param>
    /// <param name="slots">S (≥ 1).</param>
    public PolicyDistribution(PolicySpace space, int slots)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Space = space;
        Slots = slots;
        // Owned by this object, not by whatever dispose scope is open when it is built.
        OperationLogits = zeros(slots, space.Count, dtype: ScalarType.Float64).DetachFromDisposeScope();
        MagnitudeLogits = zeros(slots, space.Count, space.Bins, dtype: ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>The space the slots draw from.</summary>
    public PolicySpace Space { get; }

    /// <summary>Number of slots S.</summary>
    public int Slots { get; }

    /// <summary>float64 <c>[S, K]</c> logits of the operations (a leaf tensor; a learner may set <c>requires_grad</c>).</summary>
    public Tensor OperationLogits { get; }

    /// <summary>float64 <c>[S, K, B]</c> logits of each operation's magnitude bins.</summary>
    public Tensor MagnitudeLogits { get; }

    /// <summary>Operation probabilities <c>[S, K]</c> (no gradient).</summary>
    public Tensor OperationProbabilities()
    {
        using var noGrad = no_grad();
        return OperationLogits.softmax(-1);
    }

    /// <summary>Magnitude-bin probabilities <c>[S, K, B]</c> (no gradient).</summary>
    public Tensor MagnitudeProbabilities()
    {
        using var noGrad = no_grad();
        return MagnitudeLogits.softmax(-1);
    }

    /// <summary>
    /// Draws S slots for <paramref name="count"/> images from one <c>rand([S, N, 5])</c> of
    /// <paramref name="generator"/>: operation, bin and sign uniforms, then the position (x, y).
    /// </summary>
    public SlotDraw Sample(long count, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u = rand([Slots, count, 5], generator: generator, dtype: ScalarType.Float64);
        var k = Space.Count;
        // Inverse CDF: the number of cumulative probabilities ≤ u, capped at the last category.
        var opCdf = OperationLogits.softmax(-1).cumsum(-1);
        var operations = (u[.., .., 0].unsqueeze(-1) >= opCdf.unsqueeze(1)).sum(-1).clamp_max(k - 1);
        var binCdf = MagnitudeLogits.softmax(-1).cumsum(-1);
        var rows = binCdf.gather(1, operations.unsqueeze(-1).expand(-1, -1, Space.Bins));
        var bins = (u[.., .., 1].unsqueeze(-1) >= rows).sum(-1).clamp_max(Space.Bins - 1);
        var negate = u[.., .., 2] < 0.5;
        var positions = u[.., .., 3..5].to_type(ScalarType.Float32).contiguous();
        return new SlotDraw(
            operations.to_type(ScalarType.Int64).MoveToOuterDisposeScope(),
            bins.to_type(ScalarType.Int64).MoveToOuterDisposeScope(),
            negate.MoveToOuterDisposeScope(),
            positions.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// log q of each image's draw, summed over slots: <c>[N]</c>, differentiable with respect to the logits.
    /// </summary>
    public Tensor LogProbability(SlotDraw draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        using var scope = NewDisposeScope();
        var opLog = OperationLogits.log_softmax(-1);                          // [S, K]
        var chosenOp = opLog.gather(1, draw.Operations);                      // [S, N]
        var binLog = MagnitudeLogits.log_softmax(-1);                         // [S, K, B]
        var rows = binLog.gather(1, draw.Operations.unsqueeze(-1).expand(-1, -1, Space.Bins));
        var chosenBin = rows.gather(2, draw.Bins.unsqueeze(-1)).squeeze(-1);  // [S, N]
        // Operations without a magnitude ignore their bin: it carries no choice.
        var hasMagnitude = tensor(Space.Entries.Select(e => e.Range is not null).ToArray()).index_select(0, draw.Operations.view(-1)).view(draw.Operations.shape);
        return (chosenOp + chosenBin * hasMagnitude.to_type(ScalarType.Float64)).sum([0]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL(q ‖ uniform) summed over slots: per slot, the operations' KL plus the expected KL of the
    /// magnitude bins of operations that have one. Differentiable with respect to the logits.
    /// </summary>
    public Tensor KlToUniform()
    {
        using var scope = NewDisposeScope();
        var opLog = OperationLogits.log_softmax(-1);
        var op = opLog.exp();
        var klOp = (op * (opLog + Math.Log(Space.Count))).sum(-1);                       // [S]
        var binLog = MagnitudeLogits.log_softmax(-1);
        var klBins = (binLog.exp() * (binLog + Math.Log(Space.Bins))).sum(-1);          // [S, K]
        var hasMagnitude = tensor(Space.Entries.Select(e => e.Range is not null ? 1.0 : 0.0).ToArray());
        return (klOp + (op * klBins * hasMagnitude).sum(-1)).sum().MoveToOuterDisposeScope();
    }

    /// <summary>Entropy of the operation choice, summed over slots, in nats (no gradient).</summary>
    public double OperationEntropy()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var log = OperationLogits.log_softmax(-1);
        return -(log.exp() * log).sum().item<double>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        OperationLogits.Dispose();
        MagnitudeLogits.Dispose();
    }
}
