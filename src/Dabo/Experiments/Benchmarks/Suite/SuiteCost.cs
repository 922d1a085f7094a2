using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// The suite's cost before it runs: seconds per SGD step of each run, taken from the plan's finished runs
/// of the same dataset and augmentation where there are some, else from a prior per method measured on
/// this workplace's 2-core machine (32 px RGB, 1,000 images, batch 32, two runs sharing the cores, issue 22:
/// none 0.6–1.4 s per 32-step epoch, trivialaugment 0.8–2.1, randaugment 1.2–4.8, learned-policy 1.7–3.6;
/// the middle of each range), halved for grayscale 28 px data.
/// </summary>
public static class SuiteCost
{
    /// <summary>Prior seconds per step of a job when two share 2 cores, by method family.</summary>
    public static double PriorSecondsPerStep(string augment) => augment switch
    {
        "none" => 1.0 / 32,
        "trivialaugment" => 1.5 / 32,
        _ when augment.StartsWith("randaugment", StringComparison.Ordinal) => 3.0 / 32,
        _ when augment.StartsWith("uniform-policy", StringComparison.Ordinal) => 2.0 / 32,
        _ when SuiteMethods.IsLearned(augment) => 2.7 / 32,
        _ => 2.0 / 32,
    };

    /// <summary>Steps a run trains.</summary>
    public static long Steps(TrainingConfig config, int trainImages) => (long)config.Epochs * ((trainImages + config.BatchSize - 1) / config.BatchSize);

    /// <summary>
    /// Estimated job-seconds of each unfinished run of <paramref name="runs"/> (0 for finished ones; a pending
    /// grid choice is priced as the dearest grid configuration), and the job-seconds the finished ones took.
    /// </summary>
    public static (IReadOnlyList<double> RemainingSeconds, double FinishedSeconds) Estimate(SuitePlan plan, IReadOnlyList<SuiteRun> runs)
    {
        // Measured seconds per step by (dataset, augmentation), from finished runs.
        var measured = new Dictionary<(string, string), List<double>>();
        double finished = 0;
        foreach (var run in runs.Where(r => r.Job is { IsFinished: true }))
        {
            var summary = new Training.Runs.RunDirectory(run.Job!.Directory).LoadSummary()!;
            finished += summary.WallSeconds;
            long steps = Steps(run.Job.Config, summary.TrainImages);
            var key = (run.Dataset, run.Job.Config.Augment);
            if (!measured.TryGetValue(key, out var list))
            {
                measured[key] = list = [];
            }
            list.Add(summary.WallSeconds / Math.Max(1, steps));
        }
        var remaining = new List<double>();
        foreach (var run in runs)
        {
            if (run.Job is { IsFinished: true })
            {
                remaining.Add(0);
                continue;
            }
            var dataset = plan.Datasets.First(d => d.Name == run.Dataset);
            var schedule = plan.Schedules.First(s => s.Name == run.Schedule);
            string augment = run.Augment ?? SuiteMethods.GridConfigurations[^1];
            var config = plan.Config(dataset, schedule, augment, run.TrainSet, run.Seed);
            long steps = Steps(config, SuitePlan.TrainImages(dataset, run.TrainSet));
            double perStep = measured.TryGetValue((run.Dataset, augment), out var list)
                ? list.Average()
                : PriorSecondsPerStep(augment) * (dataset.Name == "fashion-mnist" ? 0.5 : 1);
            remaining.Add(steps * perStep);
        }
        return (remaining, finished);
    }
}
