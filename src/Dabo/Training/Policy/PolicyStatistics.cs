namespace Dabo.Training.Policy;

/// <summary>One slot of the learned policy at the end of an epoch.</summary>
/// <param name="Probabilities">Probability of each operation (name → probability).</param>
/// <param name="MeanMagnitudes">Expected unsigned magnitude of each operation that has one, in its unit.</param>
public sealed record PolicySlotStatistics(IReadOnlyDictionary<string, double> Probabilities, IReadOnlyDictionary<string, double> MeanMagnitudes);

/// <summary>What the learned policy did in one epoch (a field of <c>metrics.jsonl</c>).</summary>
public sealed record PolicyStatistics
{
    /// <summary>The policy per slot at the end of the epoch.</summary>
    public required IReadOnlyList<PolicySlotStatistics> Slots { get; init; }

    /// <summary>KL divergence from the uniform prior (nats, summed over slots).</summary>
    public double Kl { get; init; }

    /// <summary>Entropy of the operation choice (nats, summed over slots); the prior's is S·ln K.</summary>
    public double Entropy { get; init; }

    /// <summary>Mean of the raw rewards ⟨∇ℓ_i, v⟩ over the epoch's updates.</summary>
    public double? RewardMean { get; init; }

    /// <summary>Standard deviation of the raw rewards over the epoch's updates.</summary>
    public double? RewardStd { get; init; }

    /// <summary>Policy updates made in the epoch.</summary>
    public int Updates { get; init; }

    /// <summary>Updates skipped because a reward or the update was not finite.</summary>
    public int Skipped { get; init; }

    /// <summary>
    /// Per operation: its mean standardized advantage over the epoch divided by that mean's standard
    /// error (a t statistic; |t| well above 2 is signal, around 1 is noise).
    /// </summary>
    public IReadOnlyDictionary<string, double>? Signal { get; init; }
}
