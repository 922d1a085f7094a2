namespace Dabo.Reporting;

/// <summary>One operation in one slot of a final learned policy.</summary>
/// <param name="Probability">Its probability (mean over the runs that list it), or null when no run lists it in this slot.</param>
/// <param name="Prior">The uniform prior of the slot, 1/K.</param>
/// <param name="MeanMagnitude">Its expected magnitude in its unit (mean over runs), or null for an operation without one.</param>
internal sealed record PolicyCell(double? Probability, double Prior, double? MeanMagnitude)
{
    /// <summary>Below this ratio to the prior an operation counts as suppressed.</summary>
    public const double SuppressedBelow = 1.0 / 3;

    /// <summary>Above this ratio to the prior an operation counts as favoured.</summary>
    public const double FavouredAbove = 2;

    /// <summary>Probability divided by the prior (× prior), or null.</summary>
    public double? Ratio => Probability / Prior;

    /// <summary>True when the probability is below a third of the prior.</summary>
    public bool IsSuppressed => Ratio < SuppressedBelow;

    /// <summary>True when the probability is above twice the prior.</summary>
    public bool IsFavoured => Ratio > FavouredAbove;
}
