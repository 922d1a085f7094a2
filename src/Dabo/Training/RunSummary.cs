using Dabo.Augmentation.Learned;

namespace Dabo.Training;

/// <summary>The content of <c>summary.json</c>, written when a run finishes.</summary>
public sealed record RunSummary
{
    /// <summary>Augmentation method.</summary>
    public required string Method { get; init; }

    /// <summary>What a choosing method (<c>auto</c>) chose and then trained, e.g. <c>randaugment:2:10</c>; null for every other method.</summary>
    public string? Chosen { get; init; }

    /// <summary>Classifier name.</summary>
    public required string Model { get; init; }

    /// <summary>Dataset path or name.</summary>
    public required string Dataset { get; init; }

    /// <summary>Training seed.</summary>
    public int Seed { get; init; }

    /// <summary>Epochs trained.</summary>
    public int Epochs { get; init; }

    /// <summary>Images the classifier trained on (after the validation split).</summary>
    public int TrainImages { get; init; }

    /// <summary>Validation images.</summary>
    public int ValImages { get; init; }

    /// <summary>Test images.</summary>
    public int TestImages { get; init; }

    /// <summary>Validation accuracy of the final model; null without validation split.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Test accuracy (0–1) of the final model.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Epoch with the best validation accuracy (model selection never looks at test accuracy).</summary>
    public int BestValEpoch { get; init; }

    /// <summary>Best validation accuracy.</summary>
    public double? BestValAccuracy { get; init; }

    /// <summary>Test accuracy of the model of <see cref="BestValEpoch"/>.</summary>
    public double TestAccuracyAtBestVal { get; init; }

    /// <summary>Wall seconds of the whole run (summed over resumed parts).</summary>
    public double WallSeconds { get; init; }

    /// <summary>Mean wall seconds per epoch.</summary>
    public double SecondsPerEpoch { get; init; }

    /// <summary>SHA-256 of the labelled images' indices (<see cref="Runs.RunFingerprint.Subset"/>); null for data given in memory or written before it was recorded.</summary>
    public string? SubsetSha256 { get; init; }

    /// <summary>SHA-256 of the classifier's initial weights (<see cref="Runs.RunFingerprint.Weights"/>); null in runs written before it was recorded.</summary>
    public string? InitialWeightsSha256 { get; init; }

    /// <summary>
    /// Seconds per phase of <see cref="WallSeconds"/> (keys <see cref="RunTimes.Phases"/> and <see cref="RunTimes.Other"/>),
    /// summed over resumed parts; null in summaries written before it existed.
    /// </summary>
    public IReadOnlyDictionary<string, double>? TimeBreakdown { get; init; }

    /// <summary>Learned augmentation: final statistics of the learned parameters.</summary>
    public IReadOnlyList<ParameterStatistics>? Augmenter { get; init; }
}
