namespace Dabo;

/// <summary>
/// The named random streams of a run, all derived from its one seed: each consumer draws from its own
/// stream, so that adding draws to one (say, a policy's extra samples) never shifts another (the batch order).
/// Every seeded generator of training is created from here; the values are part of what makes a run
/// reproducible, so they never change.
/// </summary>
/// <param name="Seed">The run's <c>--seed</c>.</param>
public readonly record struct SeedStreams(long Seed)
{
    private const long Spread = 7919;

    private long Stream(long index) => (Seed * Spread) + index;

    /// <summary>Order of the training batches.</summary>
    public long BatchOrder => Stream(1);

    /// <summary>The fixed augmentations' draws (and a learned policy's, when the method has no fixed part).</summary>
    public long FixedAugmentation => Stream(2);

    /// <summary>Order of the validation batches behind hypergradients and policy rewards.</summary>
    public long ValidationOrder => Stream(3);

    /// <summary>A learned augmenter's noise and initialization (trained, or transferred from another run).</summary>
    public long Augmenter => Stream(4);

    /// <summary>The synthetic images of the speed benchmark.</summary>
    public long SyntheticData => Stream(5);

    /// <summary>The draw of <c>auto-shuffled</c>, the control that picks a candidate at random.</summary>
    public long AutoControl => Stream(9);

    /// <summary>
    /// A learned policy's draws: the fixed augmentations' stream when the policy stands alone (so that its first
    /// step draws exactly what <c>uniform-policy</c> draws), a stream of its own after fixed augmentations.
    /// </summary>
    /// <param name="afterFixed">Whether fixed augmentations run before the policy.</param>
    public long Policy(bool afterFixed) => afterFixed ? Stream(6) : FixedAugmentation;

    /// <summary>The policy learner's own draws (the shuffled control's permutations).</summary>
    /// <param name="afterFixed">Whether fixed augmentations run before the policy.</param>
    public long PolicyLearner(bool afterFixed) => Policy(afterFixed) + 1000;

    /// <summary>The initialization of an MLP augmenter's weights, derived from its own seed.</summary>
    /// <param name="augmenterSeed">The augmenter's seed (<see cref="Augmenter"/>).</param>
    public static long MlpInitialization(long augmenterSeed) => new SeedStreams(augmenterSeed).Stream(17);
}
