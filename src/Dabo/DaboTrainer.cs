using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo;

/// <summary>
/// The typed entry point: trains one classifier with one augmentation method and returns it, with its normalization
/// and the learned augmenter or policy. Process-wide state is left as it was: the libtorch thread count and the global
/// random state are restored when the run ends (and TorchVision's image codec is never changed), so a call is
/// reproducible at a fixed seed and invisible to the rest of the application. Runs in one process must not overlap.
/// </summary>
/// <example>
/// <code>
/// using var trained = DaboTrainer.Train(new TrainingOptions
/// {
///     Config = new() { Dataset = "fashion-mnist", TrainSize = 500, Epochs = 20 },
///     Method = MethodSpec.Parse("learned-policy"),
/// });
/// foreach (var slot in trained.TopOperations()) Console.WriteLine(string.Join(", ", slot));
/// </code>
/// </example>
public static class DaboTrainer
{
    private static readonly Lock Gate = new();

    /// <summary>Trains (or, with <see cref="TrainingOptions.Resume"/>, resumes) a run and returns the trained classifier.</summary>
    /// <param name="options">What to train.</param>
    /// <param name="progress">Receives each epoch's metrics (optional).</param>
    /// <param name="cancellationToken">Stops between steps; a run with an output directory keeps its last epoch's checkpoint.</param>
    /// <exception cref="DaboException">Bad options or data (one line naming the fix).</exception>
    /// <exception cref="OperationCanceledException">When cancelled.</exception>
    public static TrainedClassifier Train(TrainingOptions options, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureLoaded();
        var spec = RunSpec.From(options.EffectiveConfig);
        var config = spec.Config;
        if (options.Resume && options.OutputDirectory is null)
        {
            throw new DaboException("Resume needs the OutputDirectory of the run to continue");
        }
        if (options.Model is not null && spec.Method.NeedsFunctionalForward)
        {
            throw new DaboException(Classifier.ExactNeedsFunctionalForward);
        }
        // Without an output directory the run lives in a private temporary folder, its lock file beside it inside.
        string? temporary = options.OutputDirectory is null ? Path.Combine(Path.GetTempPath(), $"dabo-run-{Guid.NewGuid():N}") : null;
        string directory = options.OutputDirectory ?? Path.Combine(temporary!, "run");
        lock (Gate)
        {
            int threads = get_num_threads();
            using var rng = get_rng_state();
            using var data = options.Data?.ToDataset();
            try
            {
                var observer = progress is null ? options.Observer : new CompositeObserver([.. new ITrainingObserver?[] { options.Observer, new ProgressObserver(progress) }.OfType<ITrainingObserver>()]);
                var trainer = new Trainer(spec, directory, observer)
                {
                    Threads = options.Threads ?? threads,
                    CacheDirectory = options.CacheDirectory,
                    InMemoryData = data,
                    ModelFactory = options.Model is { } factory ? (c, k) => new ModuleClassifier(factory(c, k), c, k) : null,
                };
                var summary = trainer.Run(options.Resume, cancellationToken);
                var run = new RunDirectory(directory);
                return TrainedClassifier.FromRun(run, config, summary, trainer.Prepared!, options.Model, run.ModelFile);
            }
            finally
            {
                set_num_threads(threads);
                set_rng_state(rng);
                if (temporary is not null && Directory.Exists(temporary))
                {
                    Directory.Delete(temporary, recursive: true);
                }
            }
        }
    }

    /// <summary>Runs <see cref="Train"/> on the thread pool.</summary>
    /// <param name="options">What to train.</param>
    /// <param name="progress">Receives each epoch's metrics (optional).</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public static Task<TrainedClassifier> TrainAsync(TrainingOptions options, IProgress<EpochMetrics>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Train(options, progress, cancellationToken), cancellationToken);

    private sealed class ProgressObserver(IProgress<EpochMetrics> progress) : ITrainingObserver
    {
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs)
        {
        }

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
        {
        }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config) => progress.Report(metrics);

        public void Warning(string message)
        {
        }
    }
}
