using System.Text.Json.Nodes;
using Dabo.Training;

namespace Dabo.Tests.Training;

/// <summary>
/// A run interrupted the way a user interrupts it (Ctrl-C is a cancellation of the trainer's token)
/// and resumed must write the same files as a run that was never interrupted.
/// </summary>
[Collection("global-rng")]
public class ResumeTests
{
    public ResumeTests() => TorchRuntime.Initialize();

    // Batch 12 on 160 training and 40 validation images: 14 steps per epoch and 3 validation batches
    // per pass, so an epoch ends in the middle of a validation pass (the case that used to differ).
    internal static TrainingConfig Config(string data, string augment, int epochs = 4) => new()
    {
        Dataset = data,
        Model = "small-cnn",
        Augment = augment,
        TrainSize = 200,
        ValRatio = 0.2,
        Epochs = epochs,
        BatchSize = 12,
        Lr = 0.05,
        Seed = 5,
    };

    /// <summary>metrics.jsonl without the wall-clock field, which no two runs share.</summary>
    internal static string[] MetricsWithoutTime(string run) => File.ReadAllLines(Path.Combine(run, "metrics.jsonl"))
        .Select(l =>
        {
            var o = JsonNode.Parse(l)!.AsObject();
            Assert.True(o.Remove("seconds"), "every line has its wall time");
            return o.ToJsonString();
        }).ToArray();

    /// <summary>Asserts that the two run directories hold the same results, byte for byte (wall times aside).</summary>
    internal static void AssertSameRun(string expected, string actual, bool learned)
    {
        Assert.Equal(MetricsWithoutTime(expected), MetricsWithoutTime(actual));
        var learnedFile = File.Exists(Path.Combine(expected, "policy.json")) ? "policy.json" : "augmenter.bin";
        var files = learned ? new[] { "model.bin", "best_model.bin", learnedFile } : ["model.bin", "best_model.bin"];
        foreach (var f in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, f))), $"{f} differs");
        }
    }

    private sealed class StopAfter(int lastEpoch, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
        {
            // Ctrl-C in the middle of the next epoch: that epoch's work is lost and redone.
            if (epoch == lastEpoch + 1 && step == 3)
            {
                cancel.Cancel();
            }
        }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config) { }

        public void Warning(string message) { }
    }

    [Theory]
    [InlineData("learned-affine", "")]
    [InlineData("learned-affine", "K=2")]
    [InlineData("learned-affine", "fd")]
    [InlineData("learned-affine", "mlp")]
    [InlineData("standard+learned-affine", "")]
    [InlineData("learned-policy", "")]
    [InlineData("standard+learned-policy:1", "shuffle")]
    [InlineData("transfer", "")]
    [InlineData("standard", "")]
    [InlineData("randaugment", "")]
    [InlineData("uniform-policy", "")]
    [InlineData("none", "")]
    public void Run_cancelled_after_epoch_2_and_resumed_writes_the_same_files(string augment, string variant)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        if (augment == "transfer")
        {
            new Trainer(Config(dir.Combine("data"), "learned-affine", epochs: 1), dir.Combine("source")).Run();
            augment = "learned:" + dir.Combine("source");
        }
        var config = variant switch
        {
            "K=2" => Config(dir.Combine("data"), augment) with { InnerSteps = 2 },
            "fd" => Config(dir.Combine("data"), augment) with { Hypergrad = HypergradMethod.Fd },
            "mlp" => Config(dir.Combine("data"), augment) with { AugmenterKind = Dabo.Augmentation.Learned.AugmenterParametrization.Mlp },
            "shuffle" => Config(dir.Combine("data"), augment) with { PolicyControl = PolicyControl.Shuffle, PolicySamples = 2, PolicyUpdateEvery = 3 },
            _ => Config(dir.Combine("data"), augment),
        };
        new Trainer(config, dir.Combine("straight")).Run();

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(config, dir.Combine("resumed"), new StopAfter(2, cancel)).Run(cancellationToken: cancel.Token));
        Assert.Equal(2, File.ReadAllLines(dir.Combine("resumed", "metrics.jsonl")).Length);
        new Trainer(config, dir.Combine("resumed")).Run(resume: true);

        AssertSameRun(dir.Combine("straight"), dir.Combine("resumed"), augment.Contains("learned-", StringComparison.Ordinal));
    }

    /// <summary>Cancels when the last step of the run has finished, or when its last epoch has been checkpointed.</summary>
    private sealed class StopAtEnd(int epochs, bool afterCheckpoint, CancellationTokenSource cancel) : ITrainingObserver
    {
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr)
        {
            if (!afterCheckpoint && epoch == epochs && step == stepsPerEpoch)
            {
                cancel.Cancel();
            }
        }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config)
        {
            if (afterCheckpoint && metrics.Epoch == epochs)
            {
                cancel.Cancel();
            }
        }

        public void Warning(string message) { }
    }

    [Theory]
    [InlineData(false, 1)] // Ctrl-C during the last epoch's validation and test evaluation: that epoch is redone
    [InlineData(true, 2)] // during the final test evaluation of the best model: every epoch is kept
    public void Ctrl_C_during_the_last_evaluation_stops_the_run_and_resume_finishes_it_the_same(bool afterCheckpoint, int linesKept)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"), "none", epochs: 2);
        new Trainer(config, dir.Combine("straight")).Run();

        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(config, dir.Combine("resumed"), new StopAtEnd(2, afterCheckpoint, cancel)).Run(cancellationToken: cancel.Token));
        Assert.Equal(linesKept, File.ReadAllLines(dir.Combine("resumed", "metrics.jsonl")).Length);
        Assert.False(File.Exists(dir.Combine("resumed", "summary.json")), "an interrupted run has no summary");
        new Trainer(config, dir.Combine("resumed")).Run(resume: true);

        AssertSameRun(dir.Combine("straight"), dir.Combine("resumed"), learned: false);
        Assert.True(File.Exists(dir.Combine("resumed", "summary.json")));
    }

    [Theory]
    [InlineData("last line lost")]
    [InlineData("last line cut short")]
    [InlineData("file deleted")]
    [InlineData("line of a later epoch")]
    public void Metrics_damaged_by_a_kill_are_rewritten_from_the_checkpoint_on_resume(string damage)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"), "none", epochs: 3);
        new Trainer(config, dir.Combine("straight")).Run();

        using var cancel = new CancellationTokenSource();
        var run = dir.Combine("resumed");
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(config, run, new StopAfter(2, cancel)).Run(cancellationToken: cancel.Token));
        string metrics = Path.Combine(run, "metrics.jsonl");
        var lines = File.ReadAllLines(metrics);
        Assert.Equal(2, lines.Length);
        switch (damage)
        {
            case "last line lost": // killed after the checkpoint's rename, before the metrics file's
                File.WriteAllText(metrics, lines[0] + "\n");
                break;
            case "last line cut short":
                File.WriteAllText(metrics, lines[0] + "\n" + lines[1][..(lines[1].Length / 2)]);
                break;
            case "file deleted":
                File.Delete(metrics);
                break;
            default:
                File.AppendAllText(metrics, lines[1].Replace("\"epoch\":2", "\"epoch\":3", StringComparison.Ordinal) + "\n");
                break;
        }
        // What a kill -9 during a write leaves behind: the writer's temporary file.
        string stale = Path.Combine(run, $".metrics.jsonl.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, lines[0]);

        new Trainer(config, run).Run(resume: true);

        AssertSameRun(dir.Combine("straight"), run, learned: false);
        Assert.False(File.Exists(stale), "stale temporary file deleted");
    }
}
