using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Training;

[Collection("global-rng")]
public class TrainerTests
{
    public TrainerTests() => TorchRuntime.Initialize();

    private static TrainingConfig Config(string data, string augment = "none", int epochs = 4) => new()
    {
        Dataset = data,
        Model = "small-cnn",
        Augment = augment,
        TrainSize = 200,
        ValRatio = 0.2,
        Epochs = epochs,
        BatchSize = 16,
        Lr = 0.05,
        Seed = 3,
    };

    private sealed class StopAfter(int epoch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr) { }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config)
        {
            if (metrics.Epoch == epoch)
            {
                cancel.Cancel();
            }
        }

        public void Warning(string message) { }
    }

    [Fact]
    public void Separable_data_is_learned_and_the_run_directory_is_complete()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var run = dir.Combine("run");
        var summary = new Trainer(Config(dir.Combine("data")), run).Run();

        var metrics = new RunDirectory(run).LoadMetrics();
        Assert.Equal(4, metrics.Count);
        Assert.True(metrics[^1].TrainAccuracy > 0.95, $"train accuracy {metrics[^1].TrainAccuracy}");
        Assert.True(summary.TestAccuracy > 0.9, $"test accuracy {summary.TestAccuracy}");
        Assert.Equal(160, summary.TrainImages);
        Assert.Equal(40, summary.ValImages);
        Assert.InRange(summary.BestValEpoch, 1, 4);
        foreach (var f in new[] { "config.json", "metrics.jsonl", "checkpoint.bin", "best_model.bin", "model.bin", "summary.json", "augment.png" })
        {
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        }
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("learned-affine")]
    public void Interrupted_and_resumed_run_ends_with_the_same_metrics(string augment)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"), augment, epochs: 3);

        var straight = new Trainer(config, dir.Combine("a")).Run();

        using var cancel = new CancellationTokenSource();
        var interrupted = new Trainer(config, dir.Combine("b"), new StopAfter(1, cancel));
        Assert.Throws<OperationCanceledException>(() => interrupted.Run(cancellationToken: cancel.Token));
        Assert.Single(new RunDirectory(dir.Combine("b")).LoadMetrics());
        var resumed = new Trainer(config, dir.Combine("b")).Run(resume: true);

        Assert.Equal(straight.TestAccuracy, resumed.TestAccuracy);
        Assert.Equal(straight.ValAccuracy, resumed.ValAccuracy);
        var a = new RunDirectory(dir.Combine("a")).LoadMetrics();
        var b = new RunDirectory(dir.Combine("b")).LoadMetrics();
        Assert.Equal(a.Select(m => (m.TrainLoss, m.TestLoss, m.ValAccuracy)), b.Select(m => (m.TrainLoss, m.TestLoss, m.ValAccuracy)));
        if (augment.StartsWith("learned", StringComparison.Ordinal))
        {
            Assert.Equal(a[^1].Augmenter!.Select(s => s.Mean), b[^1].Augmenter!.Select(s => s.Mean));
        }
    }

    [Fact]
    public void Existing_run_needs_resume_and_the_same_configuration()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"), epochs: 1);
        new Trainer(config, dir.Combine("run")).Run();

        var again = Assert.Throws<DaboException>(() => new Trainer(config, dir.Combine("run")).Run());
        Assert.Contains("--resume", again.Message);
        var other = Assert.Throws<DaboException>(() => new Trainer(config with { Model = "resnet20" }, dir.Combine("run")).Run(resume: true));
        Assert.Contains("model", other.Message);

        File.WriteAllText(dir.Combine("file"), "x");
        var file = Assert.Throws<DaboException>(() => new Trainer(config, dir.Combine("file")).Run());
        Assert.StartsWith("--out", file.Message);
    }

    [Fact]
    public void Test_split_is_evaluated_every_n_epochs_and_after_the_last()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var summary = new Trainer(Config(dir.Combine("data"), epochs: 3) with { TestEvery = 2 }, dir.Combine("run")).Run();
        var metrics = new RunDirectory(dir.Combine("run")).LoadMetrics();
        Assert.Null(metrics[0].TestAccuracy);
        Assert.NotNull(metrics[1].TestAccuracy);
        Assert.NotNull(metrics[2].TestAccuracy);
        Assert.All(metrics, m => Assert.NotNull(m.ValAccuracy));
        Assert.Equal(metrics[2].TestAccuracy, summary.TestAccuracy);
        Assert.InRange(summary.TestAccuracyAtBestVal, 0.25, 1);
    }

    [Fact]
    public void Divergence_names_epoch_and_step()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"), epochs: 2) with { Lr = NumericRange.MaxLearningRate };
        var e = Assert.Throws<DaboException>(() => new Trainer(config, dir.Combine("run")).Run());
        Assert.Contains("training diverged", e.Message);
        Assert.Contains("at epoch 1", e.Message);
        Assert.Contains("step", e.Message);
    }

    [Theory]
    [InlineData("bogus", "unknown name")]
    [InlineData("learned-bogus", "unknown learned augmenter")]
    public void Unknown_methods_are_rejected_before_training(string augment, string expected)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DaboException>(() => new Trainer(Config("fashion-mnist", augment), dir.Combine("run")).Run());
        Assert.Contains(expected, e.Message);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Theory]
    [InlineData(0, 16, 0.05, "--epochs")]
    [InlineData(1, 0, 0.05, "--batch-size")]
    [InlineData(1, 16, -1.0, "--lr")]
    public void Non_positive_settings_are_rejected(int epochs, int batch, double lr, string flag)
    {
        var e = Assert.Throws<DaboException>(() => new TrainingConfig { Epochs = epochs, BatchSize = batch, Lr = lr }.Validate());
        Assert.StartsWith(flag, e.Message);
    }
}
