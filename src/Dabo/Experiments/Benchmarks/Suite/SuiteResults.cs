using System.Globalization;
using Dabo.Methods;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>One finished run as the suite's results read it.</summary>
/// <param name="Seed">Seed.</param>
/// <param name="TestAccuracy">Test accuracy at the last epoch.</param>
/// <param name="WallSeconds">Wall time of the run.</param>
/// <param name="TrainImages">Images it trained on.</param>
/// <param name="Directory">Run directory.</param>
/// <param name="Chosen">What a choosing method (<c>auto</c>) chose and trained; null for every other method.</param>
public sealed record SuiteRunResult(int Seed, double TestAccuracy, double WallSeconds, int TrainImages, string Directory, string? Chosen = null);

/// <summary>One configuration of the grid's selection in a cell.</summary>
/// <param name="Augment">The configuration (<c>randaugment:N:M</c>).</param>
/// <param name="ValAccuracy">Validation accuracy at its last epoch; null while it runs.</param>
/// <param name="WallSeconds">Wall time; 0 while it runs.</param>
public sealed record SuiteGridEntry(string Augment, double? ValAccuracy, double WallSeconds);

/// <summary>A method in one cell and column.</summary>
/// <param name="Method">The suite's method.</param>
/// <param name="Augment">What it trained (the grid's choice for the grid; null while that is pending).</param>
/// <param name="Runs">Finished runs, by seed.</param>
/// <param name="Mean">Mean test accuracy over them; null with none.</param>
/// <param name="Std">Sample standard deviation; null with fewer than two.</param>
/// <param name="VsBestFixed">Paired difference against the cell's best fixed method (null for that method itself, or without runs).</param>
/// <param name="Regret">max(0, best fixed mean − mean); null without runs or without a best fixed method.</param>
/// <param name="WallSecondsTotal">Wall time of its runs, the grid's selection included.</param>
public sealed record SuiteMethodCell(string Method, string? Augment, IReadOnlyList<SuiteRunResult> Runs, double? Mean, double? Std,
    PairedDifference? VsBestFixed, double? Regret, double WallSecondsTotal)
{
    /// <summary>Mean wall seconds of its runs (the grid's selection excluded).</summary>
    public double WallSecondsPerRun => Runs.Count == 0 ? 0 : Runs.Average(r => r.WallSeconds);

    /// <summary>
    /// What the method chose, for the tables: the grid's configuration, or a choosing method's choices over its seeds
    /// (e.g. <c>chose randaugment:2:10 ×2, none</c>); null for any other method, and while the grid's choice is pending.
    /// </summary>
    public string? Choice => Method == SuiteMethods.Grid ? Augment
        : Runs.Any(r => r.Chosen is not null)
            ? "chose " + string.Join(", ", Runs.Where(r => r.Chosen is not null).GroupBy(r => r.Chosen).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key))
            : null;
}

/// <summary>A cell (dataset × schedule) in one column (protocol).</summary>
/// <param name="Dataset">Dataset.</param>
/// <param name="Schedule">Schedule.</param>
/// <param name="Protocol">Column.</param>
/// <param name="Seeds">Seeds every method should have.</param>
/// <param name="BestFixed">The best of none, TrivialAugment and RandAugment by mean test accuracy; null when none of them has a run.</param>
/// <param name="Complete">Whether every method has a run at every seed.</param>
/// <param name="Methods">The methods, in the plan's order.</param>
/// <param name="Grid">The grid's selection; null when the grid is not among the methods.</param>
public sealed record SuiteCell(string Dataset, string Schedule, SuiteProtocol Protocol, int Seeds, string? BestFixed, bool Complete,
    IReadOnlyList<SuiteMethodCell> Methods, IReadOnlyList<SuiteGridEntry>? Grid)
{
    /// <summary>The cell's name, <c>dataset/schedule</c>.</summary>
    public string Name => $"{Dataset}/{Schedule}";

    /// <summary>
    /// Whether <paramref name="method"/> can be summarized here: it and the fixed methods its regret is measured
    /// against have every seed (another method still running, or not run in this column, does not hold it back).
    /// </summary>
    public bool IsCompleteFor(string method) => BestFixed is not null && Methods.Any(m => m.Method == method)
        && Methods.Where(m => m.Method == method || SuiteMethods.Reference.Contains(m.Method)).All(m => m.Runs.Count == Seeds);

    /// <summary>
    /// Computes a cell from each method's finished runs. A method's <c>ExtraSeconds</c> add compute it
    /// spent outside its runs (the grid's selection) to its total.
    /// </summary>
    public static SuiteCell Compute(string dataset, string schedule, SuiteProtocol protocol, int seeds,
        IReadOnlyList<(string Method, string? Augment, IReadOnlyList<SuiteRunResult> Runs, double ExtraSeconds)> methods, IReadOnlyList<SuiteGridEntry>? grid = null)
    {
        var candidates = methods.Where(m => SuiteMethods.Reference.Contains(m.Method) && m.Runs.Count > 0).ToList();
        var reference = candidates.Count > 0 ? candidates.MaxBy(m => m.Runs.Average(r => r.TestAccuracy)) : default;
        var referenceBySeed = reference.Runs?.ToDictionary(r => r.Seed, r => r.TestAccuracy);
        double? referenceMean = reference.Runs is { Count: > 0 } rr ? rr.Average(r => r.TestAccuracy) : null;
        var cells = new List<SuiteMethodCell>();
        foreach (var (method, augment, runs, extra) in methods)
        {
            double? mean = runs.Count > 0 ? runs.Average(r => r.TestAccuracy) : null;
            double? std = runs.Count > 1 ? ResultsAggregator.SampleStd([.. runs.Select(r => r.TestAccuracy)]) : null;
            var difference = referenceBySeed is null || method == reference.Method ? null : PairedDifference.Of(runs.ToDictionary(r => r.Seed, r => r.TestAccuracy), referenceBySeed);
            double? regret = mean is double m && referenceMean is double b ? Math.Max(0, b - m) : null;
            cells.Add(new SuiteMethodCell(method, augment, runs, mean, std, difference, regret, runs.Sum(r => r.WallSeconds) + extra));
        }
        bool complete = methods.All(m => m.Runs.Count == seeds);
        return new SuiteCell(dataset, schedule, protocol, seeds, reference.Method, complete, cells, grid);
    }
}

/// <summary>A method over the cells of a column where it and the fixed methods have every seed.</summary>
/// <param name="Method">Method.</param>
/// <param name="Protocol">Column.</param>
/// <param name="Cells">Cells it was summarized over (<see cref="SuiteCell.IsCompleteFor"/>).</param>
/// <param name="MeanAccuracy">Mean over those cells of its mean test accuracy.</param>
/// <param name="MeanRegret">Mean regret over them.</param>
/// <param name="WorstRegret">Largest regret.</param>
/// <param name="WorstCell">Where the largest regret is.</param>
/// <param name="WallSecondsTotal">Its compute in every cell of the column, complete or not (the grid's selection included).</param>
/// <param name="Runs">Its finished runs in the column.</param>
public sealed record SuiteMethodSummary(string Method, SuiteProtocol Protocol, int Cells, double? MeanAccuracy, double? MeanRegret, double? WorstRegret,
    string? WorstCell, double WallSecondsTotal, int Runs)
{
    /// <summary>Summaries of every method over the cells of one column where it and the fixed methods have every seed.</summary>
    public static IReadOnlyList<SuiteMethodSummary> Over(IReadOnlyList<SuiteCell> column, IReadOnlyList<string> methods, SuiteProtocol protocol)
    {
        return [.. methods.Select(method =>
        {
            var own = column.Where(c => c.IsCompleteFor(method)).Select(c => (Cell: c, Entry: c.Methods.First(m => m.Method == method))).ToList();
            var all = column.Select(c => c.Methods.FirstOrDefault(m => m.Method == method)).Where(m => m is not null).ToList();
            var worst = own.Count > 0 ? own.MaxBy(x => x.Entry.Regret!.Value) : default;
            return new SuiteMethodSummary(method, protocol, own.Count,
                own.Count > 0 ? own.Average(x => x.Entry.Mean!.Value) : null,
                own.Count > 0 ? own.Average(x => x.Entry.Regret!.Value) : null,
                worst.Entry?.Regret, worst.Cell?.Name,
                all.Sum(m => m!.WallSecondsTotal), all.Sum(m => m!.Runs.Count));
        })];
    }
}

/// <summary>
/// What training on every labelled image gains a method over training on 80 % of them, in one cell: the
/// paired difference user protocol − 800/200 at the same seeds. It is the price a method that holds 20 % out
/// for validation has to make up.
/// </summary>
/// <param name="Method">The suite's method.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="Schedule">Schedule.</param>
/// <param name="Difference">User-protocol accuracy minus 800/200 accuracy, paired over the seeds both columns have.</param>
public sealed record SuiteLabelGain(string Method, string Dataset, string Schedule, PairedDifference Difference)
{
    /// <summary>The cell's name, <c>dataset/schedule</c>.</summary>
    public string Cell => $"{Dataset}/{Schedule}";

    /// <summary>
    /// The gains of every method and cell that has runs in both columns. A seed whose run is the same in both
    /// columns (a learned method holds out in both) is not a pair; a method with no other pair is left out.
    /// </summary>
    public static IReadOnlyList<SuiteLabelGain> Over(IReadOnlyList<SuiteCell> cells)
    {
        var gains = new List<SuiteLabelGain>();
        foreach (var user in cells.Where(c => c.Protocol == SuiteProtocol.User))
        {
            var split = cells.FirstOrDefault(c => c.Protocol == SuiteProtocol.Split && c.Dataset == user.Dataset && c.Schedule == user.Schedule);
            if (split is null)
            {
                continue;
            }
            foreach (var method in user.Methods)
            {
                var other = split.Methods.FirstOrDefault(m => m.Method == method.Method);
                if (other is null)
                {
                    continue;
                }
                var shared = other.Runs.ToDictionary(r => r.Seed);
                var pairs = method.Runs.Where(r => shared.TryGetValue(r.Seed, out var s) && !string.Equals(s.Directory, r.Directory, StringComparison.Ordinal)).ToList();
                var difference = PairedDifference.Of(pairs.ToDictionary(r => r.Seed, r => r.TestAccuracy), pairs.ToDictionary(r => r.Seed, r => shared[r.Seed].TestAccuracy));
                if (difference is not null)
                {
                    gains.Add(new SuiteLabelGain(method.Method, user.Dataset, user.Schedule, difference));
                }
            }
        }
        return gains;
    }
}

/// <summary>
/// Everything <c>bench suite</c> reports: each cell in both columns, the per-method summaries (over the cells
/// where the method and the fixed methods have every seed), what the held-out labels are worth, and the compute
/// spent. Runs still missing leave their cells incomplete (shown, summarized only where those have every seed).
/// </summary>
/// <param name="Command">The command that produced it.</param>
/// <param name="Date">When (UTC).</param>
/// <param name="Versions">Software versions.</param>
/// <param name="Methods">Methods, in order.</param>
/// <param name="Seeds">Seeds.</param>
/// <param name="Cells">Every cell of both columns (user protocol first).</param>
/// <param name="Summaries">Per method and column, over the cells where it and the fixed methods have every seed.</param>
/// <param name="RunsFinished">Finished runs of the plan.</param>
/// <param name="RunsPlanned">Runs of the plan (pending grid choices included).</param>
/// <param name="WallSeconds">Wall time of all finished runs, each run once.</param>
public sealed record SuiteResults(string Command, string Date, IReadOnlyDictionary<string, string> Versions, IReadOnlyList<string> Methods, IReadOnlyList<int> Seeds,
    IReadOnlyList<SuiteCell> Cells, IReadOnlyList<SuiteMethodSummary> Summaries, int RunsFinished, int RunsPlanned, double WallSeconds)
{
    /// <summary>What every labelled image gains each method over 80 % of them, per cell (user protocol − 800/200, paired).</summary>
    public IReadOnlyList<SuiteLabelGain> LabelGains { get; } = SuiteLabelGain.Over(Cells);

    /// <summary>Reads the plan's finished runs and computes the results.</summary>
    public static SuiteResults Collect(SuitePlan plan, string command)
    {
        var cells = new List<SuiteCell>();
        foreach (var protocol in new[] { SuiteProtocol.User, SuiteProtocol.Split })
        {
            foreach (var schedule in plan.Schedules)
            {
                foreach (var dataset in plan.Datasets)
                {
                    cells.Add(CollectCell(plan, dataset, schedule, protocol));
                }
            }
        }
        var summaries = new[] { SuiteProtocol.User, SuiteProtocol.Split }
            .SelectMany(p => SuiteMethodSummary.Over([.. cells.Where(c => c.Protocol == p)], plan.Methods, p)).ToList();
        var runs = plan.Runs();
        var finished = runs.Where(r => r.Job is { IsFinished: true }).Select(r => new RunDirectory(r.Job!.Directory).LoadSummary()!).ToList();
        return new SuiteResults(command, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), ResultsFiles.Versions(),
            plan.Methods, plan.Seeds, cells, summaries, finished.Count, runs.Count, finished.Sum(s => s.WallSeconds));
    }

    private static SuiteCell CollectCell(SuitePlan plan, SuiteDataset dataset, SuiteSchedule schedule, SuiteProtocol protocol)
    {
        static SuiteRunResult? Read(int seed, RunJob? job)
        {
            if (job is not { IsFinished: true })
            {
                return null;
            }
            var s = new RunDirectory(job.Directory).LoadSummary()!;
            // Runs written before summary.json recorded the choice still have their selection.json.
            var chosen = s.Chosen ?? AutoSelection.TryRead(new RunDirectory(job.Directory))?.Chosen;
            return new SuiteRunResult(seed, s.TestAccuracy, s.WallSeconds, s.TrainImages, job.Directory, chosen);
        }
        var methods = new List<(string, string?, IReadOnlyList<SuiteRunResult>, double)>();
        List<SuiteGridEntry>? grid = null;
        foreach (var method in plan.Methods)
        {
            var column = plan.ColumnRuns(dataset, schedule, method, protocol);
            var runs = column.Select(c => Read(c.Seed, c.Job)).OfType<SuiteRunResult>().ToList();
            double extra = 0;
            string? augment = method == SuiteMethods.Grid ? column.FirstOrDefault().Job?.Config.Augment : method;
            if (method == SuiteMethods.Grid)
            {
                grid = [];
                var counted = runs.Select(r => r.Directory).ToHashSet(StringComparer.Ordinal);
                foreach (var (configuration, job) in plan.GridSelectionRuns(dataset, schedule))
                {
                    var summary = job.IsFinished ? new RunDirectory(job.Directory).LoadSummary() : null;
                    grid.Add(new SuiteGridEntry(configuration, summary?.ValAccuracy, summary?.WallSeconds ?? 0));
                    extra += counted.Contains(job.Directory) ? 0 : summary?.WallSeconds ?? 0;
                }
            }
            methods.Add((method, augment, runs, extra));
        }
        return SuiteCell.Compute(dataset.Name, schedule.Name, protocol, plan.Seeds.Count, methods, grid);
    }
}
