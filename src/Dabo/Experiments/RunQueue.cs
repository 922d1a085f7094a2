using Dabo.IO;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments;

/// <summary>One training run of a comparison or grid search: its configuration and directory.</summary>
/// <param name="Config">The complete configuration (method and seed included).</param>
/// <param name="Directory">Where the run lives.</param>
public sealed record RunJob(TrainingConfig Config, string Directory)
{
    /// <summary>True when the directory holds a finished run of exactly this configuration.</summary>
    public bool IsFinished
    {
        get
        {
            var run = new RunDirectory(Directory);
            return run.IsRun && run.LoadSummary() is not null && run.LoadConfig() == Config;
        }
    }
}

/// <summary>What a worker's pass over a run queue did (<see cref="RunQueue.RunAvailable"/>).</summary>
/// <param name="Trained">Runs this worker trained, resumed ones included.</param>
/// <param name="Resumed">Of those, runs it resumed from the checkpoint of an interrupted process.</param>
/// <param name="HeldByOthers">Unfinished runs that other processes held when it stopped.</param>
public sealed record WorkerOutcome(int Trained, int Resumed, int HeldByOthers)
{
    /// <summary>The sum of two passes (the protocols of a benchmark).</summary>
    public static WorkerOutcome operator +(WorkerOutcome a, WorkerOutcome b) =>
        new(a.Trained + b.Trained, a.Resumed + b.Resumed, a.HeldByOthers + b.HeldByOthers);
}

/// <summary>
/// Trains a list of runs in order, skipping finished ones and resuming interrupted ones. Every run
/// is claimed (<see cref="RunClaim"/>) before it trains, so any number of processes given the same
/// list share the work: each takes the next unclaimed run, and returns only when every run is
/// finished, waiting for runs that other processes hold.
/// </summary>
public sealed class RunQueue
{
    /// <summary>Decoded-image cache directory (null: default).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Called before a run starts: method, seed, whether it resumes.</summary>
    public Action<string, int, bool>? RunStarting { get; init; }

    /// <summary>Called when every remaining run is held by other processes, with their count.</summary>
    public Action<int>? Waiting { get; init; }

    /// <summary>How long to wait before looking again at runs other processes hold.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Trains every unfinished job, then waits until the jobs other processes hold are finished too.</summary>
    public void Run(IReadOnlyList<RunJob> jobs, ITrainingObserver? observer, CancellationToken cancellationToken = default) =>
        Drain(jobs, observer, waitForOthers: true, cancellationToken);

    /// <summary>
    /// Trains, one after another, every unfinished job that no other process holds, and returns when
    /// none is left to claim, without waiting for the jobs other processes hold: the loop of a worker
    /// among many (a task of a Slurm job array). A job whose holder died is claimable again, so it is
    /// resumed here if this worker reaches it.
    /// </summary>
    /// <returns>What was trained and how many jobs other processes still hold.</returns>
    public WorkerOutcome RunAvailable(IReadOnlyList<RunJob> jobs, ITrainingObserver? observer, CancellationToken cancellationToken = default) =>
        Drain(jobs, observer, waitForOthers: false, cancellationToken);

    private WorkerOutcome Drain(IReadOnlyList<RunJob> jobs, ITrainingObserver? observer, bool waitForOthers, CancellationToken cancellationToken)
    {
        var pending = jobs.Where(j => !j.IsFinished).ToList();
        int reportedWaiting = -1, trainedRuns = 0, resumedRuns = 0;
        while (pending.Count > 0)
        {
            bool trained = false;
            foreach (var job in pending.ToList())
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var claim = RunClaim.TryAcquire(job.Directory);
                if (claim is null)
                {
                    continue; // another process is training it
                }
                if (!job.IsFinished) // it may have finished between the first look and the claim
                {
                    resumedRuns += Train(job, claim, observer, cancellationToken) ? 1 : 0;
                    trainedRuns++;
                    trained = true;
                }
                pending.Remove(job);
            }
            if (pending.Count > 0 && !trained)
            {
                if (!waitForOthers)
                {
                    break; // every job left is held by another process
                }
                if (pending.Count != reportedWaiting)
                {
                    Waiting?.Invoke(pending.Count);
                    reportedWaiting = pending.Count;
                }
                cancellationToken.WaitHandle.WaitOne(PollInterval);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new WorkerOutcome(trainedRuns, resumedRuns, pending.Count(j => !j.IsFinished));
    }

    /// <summary>
    /// How often a run that libtorch failed inside (an <see cref="System.Runtime.InteropServices.ExternalException"/>) is
    /// resumed from its last checkpoint before the queue gives up. TorchSharp's implicit scalars can be finalized while
    /// libtorch reads them, which fails a long benchmark at random every few hours; a resumed run ends as an uninterrupted one.
    /// </summary>
    public int RetriesAfterNativeFailure { get; init; } = 2;

    // Trains or resumes one job; true when it resumed.
    private bool Train(RunJob job, RunClaim claim, ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        bool resume = new RunDirectory(job.Directory).IsRun;
        RunStarting?.Invoke(job.Config.Augment, job.Config.Seed, resume);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                bool fromCheckpoint = attempt == 0 ? resume : new RunDirectory(job.Directory).IsRun;
                new Trainer(job.Config, job.Directory, observer) { CacheDirectory = CacheDirectory, Threads = Threads, HeldClaim = claim }.Run(fromCheckpoint, cancellationToken);
                return resume;
            }
            catch (System.Runtime.InteropServices.ExternalException e) when (attempt < RetriesAfterNativeFailure && !cancellationToken.IsCancellationRequested)
            {
                observer?.Warning($"{job.Directory}: libtorch failed ({e.Message.Split('\n')[0].Split('.')[0]}); resuming the run from its last checkpoint");
            }
        }
    }
}
