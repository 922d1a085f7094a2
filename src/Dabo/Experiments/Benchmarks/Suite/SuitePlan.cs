using Dabo.Data;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// The run list of <c>dabo bench suite</c>: datasets × schedules × methods × seeds, in the order that
/// gives useful results first (the short schedule's user protocol, then its 800/200 extras, then the
/// long schedule), and each run's configuration and directory,
/// <c>OUT/DATASET/SCHEDULE/METHOD/{all|holdout}/seed-S</c>. The same configuration always maps to
/// the same directory, so a run is trained once and read by every column that needs it, and a smaller
/// plan (<c>--quick</c>) is a subset of the full one. The list is dynamic for the grid: its chosen
/// configuration's runs appear once its selection runs have finished.
/// </summary>
public sealed class SuitePlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="datasets">Datasets, in run order.</param>
    /// <param name="schedules">Schedules, in run order.</param>
    /// <param name="methods">Methods, in run order (<see cref="SuiteMethods.Check"/>).</param>
    /// <param name="seeds">Seeds; the first one is the grid's selection seed.</param>
    /// <param name="directory">Output directory.</param>
    public SuitePlan(IReadOnlyList<SuiteDataset> datasets, IReadOnlyList<SuiteSchedule> schedules, IReadOnlyList<string> methods, IReadOnlyList<int> seeds, string directory)
    {
        if (datasets.Count == 0)
        {
            throw new DaboException("--datasets: empty; name at least one dataset");
        }
        if (schedules.Count == 0)
        {
            throw new DaboException("--schedules: empty; use short, long or short,long");
        }
        if (seeds.Count == 0)
        {
            throw new DaboException("--seeds: must be at least 1");
        }
        SuiteMethods.Check(methods);
        foreach (var d in datasets.Where(d => d.Classes < 1 || d.TrainSize < d.Classes || d.TrainSize % d.Classes != 0))
        {
            throw new DaboException($"dataset {d.Name}: {d.TrainSize} labelled images are not a positive multiple of its {d.Classes} classes");
        }
        Datasets = datasets;
        Schedules = schedules;
        Methods = methods;
        Seeds = seeds;
        Directory = directory;
    }

    /// <summary>Datasets.</summary>
    public IReadOnlyList<SuiteDataset> Datasets { get; }

    /// <summary>Schedules.</summary>
    public IReadOnlyList<SuiteSchedule> Schedules { get; }

    /// <summary>Methods.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Seeds.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Output directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Whether the plan trains the 800/200 column's own runs (the fixed methods on 80 %); <c>--quick</c> leaves
    /// them out and reports that column from the runs both columns share.
    /// </summary>
    public bool SplitColumn { get; init; } = true;

    /// <summary>Share of each class held out for validation by <see cref="SuiteTrainSet.HoldOut"/> runs (as <c>bench accuracy</c>).</summary>
    public const double ValRatio = 0.2;

    /// <summary>
    /// Everything of a run but dataset, method, data, epochs and seed: <c>small-cnn</c>, batch 32, learning
    /// rate 0.05 with momentum 0.9, weight decay 5e-4 and a cosine schedule (the accuracy protocols'),
    /// test accuracy at the last epoch only.
    /// </summary>
    public TrainingConfig BaseConfig { get; init; } = new() { Model = "small-cnn", BatchSize = 32, Lr = 0.05 };

    /// <summary>Images a run trains on (the validation split is computed per class as <see cref="Stratified.Split"/> does).</summary>
    public static int TrainImages(SuiteDataset dataset, SuiteTrainSet trainSet) => trainSet == SuiteTrainSet.All
        ? dataset.TrainSize
        : dataset.Classes * (dataset.PerClass - Stratified.ValidationCount(dataset.PerClass, ValRatio));

    /// <summary>The complete configuration of a run.</summary>
    public TrainingConfig Config(SuiteDataset dataset, SuiteSchedule schedule, string augment, SuiteTrainSet trainSet, int seed)
    {
        int epochs = schedule.Epochs(TrainImages(dataset, trainSet), BaseConfig.BatchSize);
        return BaseConfig with
        {
            Dataset = dataset.Path,
            Augment = augment,
            TrainSize = dataset.TrainSize,
            ValRatio = trainSet == SuiteTrainSet.All ? 0 : ValRatio,
            TrainOnValidation = false,
            Flip = dataset.Flip,
            Epochs = epochs,
            TestEvery = epochs,
            Seed = seed,
            DataSeed = seed,
        };
    }

    /// <summary>The directory of a run.</summary>
    public string RunDirectory(SuiteDataset dataset, SuiteSchedule schedule, string augment, SuiteTrainSet trainSet, int seed) =>
        Path.Combine(Directory, dataset.Name, schedule.Name, RunLabel.Of(augment), trainSet == SuiteTrainSet.All ? "all" : "holdout", $"seed-{seed}");

    /// <summary>A run's job.</summary>
    public RunJob Job(SuiteDataset dataset, SuiteSchedule schedule, string augment, SuiteTrainSet trainSet, int seed) =>
        new(Config(dataset, schedule, augment, trainSet, seed), RunDirectory(dataset, schedule, augment, trainSet, seed));

    /// <summary>
    /// The grid's selection in a cell: the configuration whose selection run (first seed, 80/20 split) has
    /// the highest validation accuracy at its last epoch (the first in <see cref="SuiteMethods.GridConfigurations"/>
    /// on a tie), or null while any selection run is unfinished. Test accuracy is never read.
    /// </summary>
    public string? GridChoice(SuiteDataset dataset, SuiteSchedule schedule)
    {
        string? best = null;
        double bestVal = double.NegativeInfinity;
        foreach (var configuration in SuiteMethods.GridConfigurations)
        {
            var job = Job(dataset, schedule, configuration, SuiteTrainSet.HoldOut, Seeds[0]);
            if (!job.IsFinished)
            {
                return null;
            }
            double val = new Training.Runs.RunDirectory(job.Directory).LoadSummary()?.ValAccuracy ?? double.NegativeInfinity;
            if (best is null || val > bestVal)
            {
                (best, bestVal) = (configuration, val);
            }
        }
        return best;
    }

    /// <summary>
    /// Every run, in run order, each directory once; runs of a grid choice not made yet have a null
    /// <see cref="SuiteRun.Job"/>. Reads the grid's selection runs, so the list grows as they finish.
    /// </summary>
    public IReadOnlyList<SuiteRun> Runs()
    {
        var runs = new List<SuiteRun>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(SuiteRun run)
        {
            if (run.Job is null || seen.Add(run.Job.Directory))
            {
                runs.Add(run);
            }
        }
        for (int s = 0; s < Schedules.Count; s++)
        {
            var schedule = Schedules[s];
            int userPhase = (2 * s) + 1;
            foreach (var dataset in Datasets)
            {
                string? choice = Methods.Contains(SuiteMethods.Grid) ? GridChoice(dataset, schedule) : null;
                foreach (int seed in Seeds)
                {
                    foreach (var method in Methods)
                    {
                        if (method != SuiteMethods.Grid)
                        {
                            var trainSet = SuiteMethods.UserTrainSet(method);
                            Add(new SuiteRun(dataset.Name, schedule.Name, method, trainSet, seed, userPhase, SuiteRole.Method, Job(dataset, schedule, method, trainSet, seed)));
                            continue;
                        }
                        if (seed == Seeds[0])
                        {
                            foreach (var configuration in SuiteMethods.GridConfigurations)
                            {
                                Add(new SuiteRun(dataset.Name, schedule.Name, method, SuiteTrainSet.HoldOut, seed, userPhase, SuiteRole.GridSelection,
                                    Job(dataset, schedule, configuration, SuiteTrainSet.HoldOut, seed)));
                            }
                        }
                        Add(new SuiteRun(dataset.Name, schedule.Name, method, SuiteTrainSet.All, seed, userPhase, SuiteRole.GridChosen,
                            choice is null ? null : Job(dataset, schedule, choice, SuiteTrainSet.All, seed)));
                    }
                }
            }
            // The 800/200 column: what the user's protocol has not trained already.
            foreach (var dataset in SplitColumn ? Datasets : [])
            {
                string? choice = Methods.Contains(SuiteMethods.Grid) ? GridChoice(dataset, schedule) : null;
                foreach (int seed in Seeds)
                {
                    foreach (var method in Methods.Where(m => m == SuiteMethods.Grid || SuiteMethods.UserTrainSet(m) == SuiteTrainSet.All))
                    {
                        bool grid = method == SuiteMethods.Grid;
                        if (grid && seed == Seeds[0])
                        {
                            continue; // the chosen configuration's selection run
                        }
                        var job = grid ? (choice is null ? null : Job(dataset, schedule, choice, SuiteTrainSet.HoldOut, seed)) : Job(dataset, schedule, method, SuiteTrainSet.HoldOut, seed);
                        Add(new SuiteRun(dataset.Name, schedule.Name, method, SuiteTrainSet.HoldOut, seed, userPhase + 1, grid ? SuiteRole.GridChosen : SuiteRole.Method, job));
                    }
                }
            }
        }
        return runs;
    }

    /// <summary>The runs a column reads for a method in a cell, by seed (null where the grid has not chosen yet).</summary>
    public IReadOnlyList<(int Seed, RunJob? Job)> ColumnRuns(SuiteDataset dataset, SuiteSchedule schedule, string method, SuiteProtocol protocol)
    {
        var trainSet = protocol == SuiteProtocol.Split ? SuiteTrainSet.HoldOut : method == SuiteMethods.Grid ? SuiteTrainSet.All : SuiteMethods.UserTrainSet(method);
        string? augment = method == SuiteMethods.Grid ? GridChoice(dataset, schedule) : method;
        return [.. Seeds.Select(seed => (seed, augment is null ? null : Job(dataset, schedule, augment, trainSet, seed)))];
    }

    /// <summary>The grid's selection runs of a cell (first seed, 80/20 split), one per configuration.</summary>
    public IReadOnlyList<(string Configuration, RunJob Job)> GridSelectionRuns(SuiteDataset dataset, SuiteSchedule schedule) =>
        [.. SuiteMethods.GridConfigurations.Select(c => (c, Job(dataset, schedule, c, SuiteTrainSet.HoldOut, Seeds[0])))];
}
