using Dabo.IO;
using Dabo.Training;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// Trains a <see cref="SuitePlan"/>: always the first unfinished run of the plan that no other process
/// holds (claimed as <see cref="RunQueue"/> claims), then looks at the plan again, so that a grid's chosen
/// runs join the list as soon as its selection has finished and keep their place in the order. Any
/// number of processes (<c>--jobs</c>, Slurm tasks) share the runs; finished runs are reused and
/// interrupted ones resume from their last epoch.
/// </summary>
public sealed class SuiteRunner(SuitePlan plan)
{
    /// <summary>Decoded-image cache directory (null: default).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Called before a run starts: the run and whether it resumes.</summary>
    public Action<SuiteRun, bool>? RunStarting { get; init; }

    /// <summary>Called when every remaining run is held by other processes (or waits for a grid selection they hold), with their count.</summary>
    public Action<int>? Waiting { get; init; }

    /// <summary>How long to wait before looking again at runs other processes hold.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Trains until every run of the plan is finished. With <paramref name="waitForOthers"/> false (a worker
    /// among many), returns as soon as nothing is left to claim.
    /// </summary>
    public WorkerOutcome Run(ITrainingObserver? observer, bool waitForOthers, CancellationToken cancellationToken = default)
    {
        Prepare();
        int trained = 0, resumed = 0, reportedWaiting = -1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var runs = plan.Runs();
            var pending = runs.Where(r => r.Job is not { IsFinished: true }).ToList();
            if (pending.Count == 0)
            {
                return new WorkerOutcome(trained, resumed, 0);
            }
            bool progressed = false;
            foreach (var run in pending.Where(r => r.Job is not null))
            {
                var queue = new RunQueue
                {
                    CacheDirectory = CacheDirectory,
                    Threads = Threads,
                    RunStarting = RunStarting is null ? null : (_, _, resume) => RunStarting(run, resume),
                };
                var outcome = queue.RunAvailable([run.Job!], observer, cancellationToken);
                if (outcome.Trained > 0)
                {
                    (trained, resumed, progressed) = (trained + outcome.Trained, resumed + outcome.Resumed, true);
                    break; // look at the plan again: a grid's choice may have become known
                }
            }
            if (progressed)
            {
                continue;
            }
            if (pending.All(r => r.Job is null))
            {
                // Only choices are left, yet no selection run is unfinished: a selection run without a validation accuracy.
                throw new DaboException($"{plan.Directory}: the grid's choice cannot be made although its selection runs have finished; remove the grid's selection runs and run again");
            }
            if (!waitForOthers)
            {
                return new WorkerOutcome(trained, resumed, pending.Count);
            }
            if (pending.Count != reportedWaiting)
            {
                Waiting?.Invoke(pending.Count);
                reportedWaiting = pending.Count;
            }
            cancellationToken.WaitHandle.WaitOne(PollInterval);
        }
    }

    // Bad input (a missing archive, a train size the data cannot give) is refused before the output
    // directory exists: one configuration per dataset and training set is loaded and checked.
    private void Prepare()
    {
        var unfinished = plan.Runs().Where(r => r.Job is { IsFinished: false }).Select(r => r.Job!.Config)
            .GroupBy(c => (c.Dataset, c.ValRatio)).Select(g => g.First()).ToList();
        if (unfinished.Count > 0)
        {
            Trainer.CheckInputs(unfinished, CacheDirectory, Threads, plan.Directory);
        }
        OutputPaths.CreateDirectory("--out", plan.Directory);
    }
}
