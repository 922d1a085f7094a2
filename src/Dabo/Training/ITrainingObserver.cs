namespace Dabo.Training;

/// <summary>
/// Receives a run's progress (the library never writes to the console; the CLI turns these calls
/// into progress bars or log lines). Calls come from the training thread.
/// </summary>
public interface ITrainingObserver
{
    /// <summary>The run in <paramref name="runDirectory"/> starts (or resumes after <paramref name="completedEpochs"/> epochs).</summary>
    void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs);

    /// <summary>One optimizer step finished.</summary>
    void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr);

    /// <summary>An epoch finished and was checkpointed.</summary>
    void EpochCompleted(EpochMetrics metrics, TrainingConfig config);

    /// <summary>Something the user should know that does not stop the run.</summary>
    void Warning(string message);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class SilentObserver : ITrainingObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly SilentObserver Instance = new();

    /// <inheritdoc />
    public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

    /// <inheritdoc />
    public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr) { }

    /// <inheritdoc />
    public void EpochCompleted(EpochMetrics metrics, TrainingConfig config) { }

    /// <inheritdoc />
    public void Warning(string message) { }
}
