using Dabo.IO;
using Dabo.Training;

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
    public void Run(IReadOnlyList<RunJob> jobs, ITrainingObserver? observer, CancellationToken cancellationToken = default)
    {
        var pending = jobs.Where(j => !j.IsFinished).ToList();
        int reportedWaiting = -1;
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
                    Train(job, observer, cancellationToken);
                    trained = true;
                }
                pending.Remove(job);
            }
            if (pending.Count > 0 && !trained)
            {
                if (pending.Count != reportedWaiting)
                {
                    Waiting?.Invoke(pending.Count);
                    reportedWaiting = pending.Count;
                }
                cancellationToken.WaitHandle.WaitOne(PollInterval);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Train(RunJob job, ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        bool resume = new RunDirectory(job.Directory).IsRun;
        RunStarting?.Invoke(job.Config.Augment, job.Config.Seed, resume);
        new Trainer(job.Config, job.Directory, observer) { CacheDirectory = CacheDirectory, Threads = Threads }.Run(resume, cancellationToken);
    }
}
