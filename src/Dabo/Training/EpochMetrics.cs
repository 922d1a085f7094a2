using Dabo.Augmentation.Learned;

namespace Dabo.Training;

/// <summary>One line of <c>metrics.jsonl</c>: what happened in one epoch.</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }

    /// <summary>Learning rate at the end of the epoch.</summary>
    public double Lr { get; init; }

    /// <summary>Mean training loss on the (augmented) images the classifier trained on.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Training accuracy on the augmented images, as seen during the epoch.</summary>
    public double TrainAccuracy { get; init; }

    /// <summary>Loss on clean (unaugmented) training images, evaluation mode; null when not measured.</summary>
    public double? TrainLossClean { get; init; }

    /// <summary>Accuracy on clean training images, evaluation mode; null when not measured.</summary>
    public double? TrainAccuracyClean { get; init; }

    /// <summary>Validation loss; null without a validation split.</summary>
    public double? ValLoss { get; init; }

    /// <summary>Validation accuracy (0–1); null without a validation split.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Test loss; null in epochs where the test split was not evaluated (<c>--test-every</c>).</summary>
    public double? TestLoss { get; init; }

    /// <summary>Test accuracy (0–1); null in epochs where the test split was not evaluated.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>Wall seconds of this epoch (training and evaluation).</summary>
    public double Seconds { get; init; }

    /// <summary>Learned augmentation: statistics of each learned parameter, in its physical unit.</summary>
    public IReadOnlyList<ParameterStatistics>? Augmenter { get; init; }

    /// <summary>Learned augmentation: mean hypergradient norm over the epoch.</summary>
    public double? HypergradNorm { get; init; }

    /// <summary>Learned augmentation: augmenter learning rate.</summary>
    public double? AugmenterLr { get; init; }

    /// <summary>Learned policy: its probabilities, KL, entropy, rewards and signal in this epoch.</summary>
    public Policy.PolicyStatistics? Policy { get; init; }

    /// <summary>Learned augmentation: augmenter updates skipped because of non-finite values.</summary>
    public int? SkippedAugmenterUpdates { get; init; }
}
