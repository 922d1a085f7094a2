using Dabo.Training.Runs;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>
/// One optimizer step of the classifier on a batch of [0, 1] images (after the fixed
/// augmentations). The plain step trains on (optionally frozen-augmented) images; the bilevel
/// step also updates a learned augmenter. Steps own any extra state a checkpoint must keep.
/// </summary>
public abstract class TrainingStep : IDisposable
{
    /// <summary>
    /// Where the step reports the time of its own augmentation and augmenter updates (<see cref="RunTimes.Augmentation"/>,
    /// <see cref="RunTimes.AugmenterUpdates"/>); set by the trainer, null when nobody is counting.
    /// </summary>
    public RunTimes? Times { get; internal set; }

    /// <summary>Runs one step; returns the mean training loss and the number of correct predictions as scalar tensors.</summary>
    public abstract (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr);

    /// <summary>Completes any pending work at the end of an epoch's batches, before evaluation.</summary>
    public virtual void Flush() { }

    /// <summary>The images the classifier would see for <paramref name="unitImages"/> (for image grids; no gradient).</summary>
    public virtual Tensor Preview(Tensor unitImages) => unitImages.alias();

    /// <summary>Statistics for the epoch's metrics line (learned steps fill these), then resets per-epoch counters.</summary>
    public virtual EpochMetrics CompleteEpoch(EpochMetrics metrics) => metrics;

    /// <summary>Writes the step's own state to a checkpoint.</summary>
    public virtual void Save(BinaryWriter writer) { }

    /// <summary>Restores the state written by <see cref="Save"/>.</summary>
    public virtual void Load(BinaryReader reader) { }

    /// <summary>Saves artifacts that outlive the run (e.g. the trained augmenter).</summary>
    public virtual void SaveArtifacts(RunDirectory run) { }

    /// <summary>L2 norm of the trained augmenter's parameters (NaN when non-finite), or null when the step trains no augmenter; used to tell whose learning rate made training diverge.</summary>
    public virtual double? AugmenterParameterNorm() => null;

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases native resources.</summary>
    protected virtual void Dispose(bool disposing) { }
}
