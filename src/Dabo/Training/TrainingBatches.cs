using Dabo.Augmentation;
using Dabo.Data;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// The batches of one epoch, sampled, gathered and fixed-augmented. With <c>ahead</c>, the next batch is
/// prepared on a worker thread while the caller trains on the current one: the same sampler and
/// generator calls in the same order as without, one batch at a time, so the draws (and a resumed
/// run's) are bit-identical; the worker never runs past the epoch, so the end-of-epoch checkpoint
/// sees the same generator states.
/// </summary>
internal static class TrainingBatches
{
    /// <summary>The epoch's batches; each belongs to the caller, who disposes it.</summary>
    /// <param name="sampler">The run's batch sampler.</param>
    /// <param name="augmentation">Fixed augmentation, or null.</param>
    /// <param name="generator">The generator of the fixed augmentation.</param>
    /// <param name="ahead">Prepare the next batch on a worker thread.</param>
    public static IEnumerable<TrainingBatch> Epoch(BatchSampler sampler, IFixedAugmentation? augmentation, Generator generator, bool ahead)
    {
        using var batches = sampler.Epoch().GetEnumerator();
        TrainingBatch? Produce()
        {
            if (!batches.MoveNext())
            {
                return null;
            }
            var (images, labels) = batches.Current;
            try
            {
                return new TrainingBatch(images, labels, augmentation is null ? images : augmentation.Apply(images, generator));
            }
            catch
            {
                images.Dispose();
                labels.Dispose();
                throw;
            }
        }

        if (!ahead)
        {
            while (Produce() is { } batch)
            {
                yield return batch;
            }
            yield break;
        }
        Task<TrainingBatch?>? next = Task.Run(Produce);
        try
        {
            while (true)
            {
                var batch = next.GetAwaiter().GetResult();
                next = null;
                if (batch is null)
                {
                    yield break;
                }
                next = Task.Run(Produce);
                yield return batch;
            }
        }
        finally
        {
            // The caller stopped early (cancellation, divergence): finish and free the batch in flight.
            if (next is not null)
            {
                try
                {
                    next.GetAwaiter().GetResult()?.Dispose();
                }
                catch (Exception)
                {
                    // The caller's own exception is the one to report.
                }
            }
        }
    }
}
