using Dabo.Experiments;
using Dabo.IO;
using Dabo.Tests.Cli;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Experiments;

[Collection("global-rng")]
public class RunQueueTests
{
    public RunQueueTests() => TorchRuntime.Initialize();

    private static TrainingConfig Config(string data) => new() { Dataset = data, TrainSize = 200, Epochs = 1, BatchSize = 16 };

    [Fact]
    public void A_claim_is_exclusive_until_released()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("runs", "none", "seed-0");
        using (var first = RunClaim.TryAcquire(run))
        {
            Assert.NotNull(first);
            Assert.Null(RunClaim.TryAcquire(run));
            Assert.True(RunClaim.TryAcquire(dir.Combine("runs", "none", "seed-1")).DisposeAndReturn());
        }
        using var again = RunClaim.TryAcquire(run);
        Assert.NotNull(again);
        Assert.Equal(dir.Combine("runs", "none", ".seed-0.lock"), RunClaim.LockFile(run));
        Assert.False(Directory.Exists(run)); // claiming creates only the lock file beside the run
    }

    [Fact]
    public async Task A_run_held_elsewhere_is_skipped_then_waited_for_and_trained_once_released()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = Config(dir.Combine("data"));
        var held = new RunJob(config with { Augment = "none" }, dir.Combine("runs", "none"));
        var free = new RunJob(config with { Augment = "standard" }, dir.Combine("runs", "standard"));
        var started = new List<string>();
        int waitingReports = 0;
        var queue = new RunQueue
        {
            RunStarting = (m, _, _) => { lock (started) { started.Add(m); } },
            Waiting = n => { Assert.Equal(1, n); Interlocked.Increment(ref waitingReports); },
            PollInterval = TimeSpan.FromMilliseconds(20),
        };

        var claim = RunClaim.TryAcquire(held.Directory)!;
        var task = Task.Run(() => queue.Run([held, free], null));
        SpinWait.SpinUntil(() => free.IsFinished && Volatile.Read(ref waitingReports) > 0, TimeSpan.FromMinutes(2));
        Assert.True(free.IsFinished);
        Assert.False(task.IsCompleted); // still waiting for the held run
        lock (started)
        {
            Assert.Equal(["standard"], started);
        }

        claim.Dispose();
        await task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(["standard", "none"], started);
        Assert.True(held.IsFinished);
        Assert.Equal(1, waitingReports);
    }

    [Fact]
    public void A_queue_cancelled_while_waiting_stops()
    {
        using var dir = new TempDirectory();
        var job = new RunJob(Config(dir.Combine("data")), dir.Combine("runs", "none"));
        using var claim = RunClaim.TryAcquire(job.Directory)!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => new RunQueue { PollInterval = TimeSpan.FromMilliseconds(20) }.Run([job], null, cancel.Token));
    }

    [Fact]
    public void Two_jobs_share_a_comparison_between_two_processes()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, output, err) = CliRunner.Run("compare", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "2", "--batch-size", "16",
            "--methods", "none,standard,flip", "--seeds", "4", "--jobs", "2", "--out", dir.Combine("cmp"));
        Assert.True(code == 0, err);
        Assert.Empty(err); // no worker failed
        Assert.Contains("worker", output);
        string log = File.ReadAllText(dir.Combine("cmp", "workers", "worker-1.log"));
        var here = RunsStarted(output);
        var there = RunsStarted(log);
        Assert.NotEmpty(there); // the worker trained some of the runs …
        Assert.NotEmpty(here); // … and so did this process,
        Assert.Empty(here.Intersect(there)); // never the same one,
        Assert.Equal(12, here.Count + there.Count); // and all twelve were trained.
        Assert.True(File.Exists(dir.Combine("cmp", "results.md")));
    }

    [Fact]
    public void A_run_that_libtorch_fails_inside_resumes_from_its_checkpoint_then_gives_up_after_the_retries()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var job = new RunJob(Config(dir.Combine("data")) with { Epochs = 2 }, dir.Combine("runs", "none"));
        var failOnce = new NativeFailureAfterEpoch(failures: 1);
        new RunQueue().Run([job], failOnce);
        Assert.True(job.IsFinished);
        Assert.Equal([0, 1], failOnce.StartedAfterEpochs); // the second attempt resumed after the checkpointed epoch
        Assert.Contains(failOnce.Warnings, w => w.Contains("resuming the run from its last checkpoint", StringComparison.Ordinal));

        var always = new NativeFailureAfterEpoch(failures: int.MaxValue, everyEpoch: true);
        var failing = new RunJob(job.Config with { Seed = 1 }, dir.Combine("runs", "none-1"));
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => new RunQueue { RetriesAfterNativeFailure = 1 }.Run([failing], always));
        Assert.Equal(2, always.StartedAfterEpochs.Count); // one try and one retry
        Assert.False(failing.IsFinished);
    }

    // Throws what a libtorch failure throws after the first (or every) epoch was checkpointed, `failures` times.
    private sealed class NativeFailureAfterEpoch(int failures, bool everyEpoch = false) : ITrainingObserver
    {
        private int _failed;
        public List<int> StartedAfterEpochs { get; } = [];
        public List<string> Warnings { get; } = [];
        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) =>
            StartedAfterEpochs.Add(completedEpochs);
        public void StepCompleted(int epoch, int step, int stepsPerEpoch, double loss, double lr) { }
        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config)
        {
            if ((everyEpoch || metrics.Epoch == 1) && _failed++ < failures)
            {
                throw new System.Runtime.InteropServices.ExternalException("For integral input tensors, argument alpha must not be a floating point number.");
            }
        }
        public void Warning(string message) => Warnings.Add(message);
    }

    private static List<string> RunsStarted(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("== ", StringComparison.Ordinal)).Select(l => l.Trim())];
}

internal static class ClaimExtensions
{
    public static bool DisposeAndReturn(this RunClaim? claim)
    {
        claim?.Dispose();
        return claim is not null;
    }
}

public class WorkerArgumentsTests
{
    [Fact]
    public void Workers_get_one_job_and_their_share_of_threads()
    {
        Assert.Equal(["compare", "--out", "x", "--jobs", "1", "--threads", "3"],
            Dabo.Cli.WorkerProcesses.WorkerArguments(["compare", "--jobs", "2", "--out", "x", "--threads", "6"], 3));
        Assert.Equal(["bench", "accuracy", "--jobs", "1"],
            Dabo.Cli.WorkerProcesses.WorkerArguments(["bench", "accuracy", "--jobs=4"], null));
        Assert.Equal(5, Dabo.Cli.WorkerProcesses.ThreadsPerJob(2, 5));
        Assert.Null(Dabo.Cli.WorkerProcesses.ThreadsPerJob(1, null));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), Dabo.Cli.WorkerProcesses.ThreadsPerJob(2, null));
    }
}
