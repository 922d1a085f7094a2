using Dabo.Training;
using Dabo.Training.Runs;
using TorchSharp;
using TorchSharp.Modules;

namespace Dabo.Experiments;

/// <summary>
/// Writes a run's scalars (losses, accuracies, learning rate, learned-parameter statistics,
/// hypergradient norm) and its augmentation grid as TensorBoard event files with TorchSharp's
/// <see cref="SummaryWriter"/>, one sub-directory per run, so the usual tooling can watch a run.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    private readonly string _root;
    private SummaryWriter? _writer;
    private string? _runDirectory;
    private long _steps;

    /// <summary>Creates the observer writing below <paramref name="logDirectory"/>.</summary>
    public TensorBoardObserver(string logDirectory)
    {
        if (File.Exists(logDirectory))
        {
            throw new DaboException($"--tensorboard {logDirectory}: is a file; pass a directory for the event files");
        }
        // Checked here, before the run directory exists: a refusal at the run's start would leave a half-made run.
        IO.OutputPaths.CheckDirectory("--tensorboard", logDirectory);
        _root = logDirectory;
    }

    /// <inheritdoc />
    public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs)
    {
        string name = RunLabel.Of(Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(runDirectory)).Replace('/', '.'));
        Directory.CreateDirectory(Path.Combine(_root, name));
        _writer = torch.utils.tensorboard.SummaryWriter(Path.Combine(_root, name), createRunName: false);
        _runDirectory = runDirectory;
        _steps = (long)completedEpochs * stepsPerEpoch;
    }

    /// <inheritdoc />
    public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
    {
        _steps++;
        if (_steps % 10 == 0)
        {
            _writer?.add_scalar("step/train_loss", (float)loss, (int)_steps);
        }
    }

    /// <inheritdoc />
    public void EpochCompleted(EpochMetrics m, TrainingConfig config)
    {
        if (_writer is null)
        {
            return;
        }
        void Scalar(string tag, double? value)
        {
            if (value is double v && double.IsFinite(v))
            {
                _writer.add_scalar(tag, (float)v, m.Epoch);
            }
        }
        Scalar("loss/train_augmented", m.TrainLoss);
        Scalar("loss/train_clean", m.TrainLossClean);
        Scalar("loss/val", m.ValLoss);
        Scalar("loss/test", m.TestLoss);
        Scalar("accuracy/train_augmented", m.TrainAccuracy);
        Scalar("accuracy/train_clean", m.TrainAccuracyClean);
        Scalar("accuracy/val", m.ValAccuracy);
        Scalar("accuracy/test", m.TestAccuracy);
        Scalar("lr", m.Lr);
        Scalar("augmenter/hypergrad_norm", m.HypergradNorm);
        Scalar("augmenter/lr", m.AugmenterLr);
        foreach (var p in m.Augmenter ?? [])
        {
            Scalar($"augmenter/{p.Name}_mean_{p.Unit}", p.Mean);
            Scalar($"augmenter/{p.Name}_std_{p.Unit}", p.Std);
        }
        string grid = new RunDirectory(_runDirectory!).AugmentImageFile;
        if (File.Exists(grid))
        {
            _writer.add_img("augmentation", grid, m.Epoch);
        }
    }

    /// <inheritdoc />
    public void Warning(string message) { }
}
