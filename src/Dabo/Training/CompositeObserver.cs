namespace Dabo.Training;

/// <summary>Forwards every call to several observers, in order.</summary>
public sealed class CompositeObserver(params ITrainingObserver[] observers) : ITrainingObserver
{
    /// <inheritdoc />
    public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs)
    {
        foreach (var o in observers)
        {
            o.RunStarted(config, runDirectory, trainImages, valImages, testImages, stepsPerEpoch, completedEpochs);
        }
    }

    /// <inheritdoc />
    public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
    {
        foreach (var o in observers)
        {
            o.StepCompleted(epoch, step, stepsPerEpoch, loss, lr);
        }
    }

    /// <inheritdoc />
    public void EpochCompleted(EpochMetrics metrics, TrainingConfig config)
    {
        foreach (var o in observers)
        {
            o.EpochCompleted(metrics, config);
        }
    }

    /// <inheritdoc />
    public void Warning(string message)
    {
        foreach (var o in observers)
        {
            o.Warning(message);
        }
    }
}
