using System.Globalization;
using System.Text;
using System.Text.Json;
using Dabo.IO;
using Dabo.Training;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>Writes the suite's <c>results.md</c> (one table per column) and <c>results.json</c>.</summary>
public static class SuiteReport
{
    /// <summary>File names in the output directory.</summary>
    public const string MarkdownFile = "results.md", JsonFile = "results.json";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes both files atomically.</summary>
    public static void Write(SuiteResults results, SuitePlan plan, string directory)
    {
        OutputPaths.CreateDirectory("--out", directory);
        AtomicFile.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(results, plan));
        AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(results, TrainingConfig.JsonOptions));
    }

    /// <summary>Signed points with two decimals: 0.0123 → <c>+1.23</c>.</summary>
    public static string Points(double difference) => (difference * 100).ToString("+0.00;-0.00;0.00", Inv);

    /// <summary>A paired difference as <c>+0.40 [−0.20, +1.00]</c> (points; no interval with one seed).</summary>
    public static string Difference(PairedDifference d) =>
        d.Low is double lo && d.High is double hi ? $"{Points(d.Mean)} [{Points(lo)}, {Points(hi)}]" : $"{Points(d.Mean)} (1 seed)";

    /// <summary>How the suite trains and what the columns mean, one paragraph.</summary>
    public static string Protocol(SuitePlan plan)
    {
        var c = plan.BaseConfig;
        string datasets = string.Join("; ", plan.Datasets.Select(d =>
            $"{d.Name} {d.TrainSize} labelled ({SuitePlan.TrainImages(d, SuiteTrainSet.HoldOut)} with 20 % held out){(d.Flip ? "" : ", no mirrors")}"));
        string schedules = string.Join(", ", plan.Schedules.Select(s => $"{s.Name} ≈ {s.Steps:N0} SGD steps"));
        return string.Create(Inv, $"`{c.Model}`, batch {c.BatchSize}, learning rate {c.Lr} (momentum {c.Momentum}, weight decay {c.WeightDecay}, {c.Schedule.ToString().ToLowerInvariant()}); schedules {schedules} (epochs from the images each run trains on); ") +
            $"datasets {datasets}; seeds {string.Join(", ", plan.Seeds)} (a seed fixes the labelled subset, its split and the initial weights for every method; summary.json records their hashes). " +
            "Test accuracy % on the full test split at the last epoch, mean ± std over seeds. **User protocol**: fixed methods (and the grid's choice) train on every labelled image; learned methods hold 20 % out for validation (hold-out). " +
            $"**{SuiteMethods.Grid}**: RandAugment N ∈ {{{string.Join(", ", SuiteMethods.GridOperations)}}} × M ∈ {{{string.Join(", ", SuiteMethods.GridMagnitudes)}}}, each run at the first seed on the 80/20 split, the best validation accuracy chosen per cell and run at every seed; its compute includes the selection. " +
            "**800/200**: every method trains on 80 % (as `bench accuracy`). Δ: paired difference against the cell's best fixed method (max of none, trivialaugment, randaugment by mean), points, with a 95 % t-interval over seeds; regret: max(0, best fixed − method), points.";
    }

    /// <summary>The whole <c>results.md</c>.</summary>
    public static string Markdown(SuiteResults results, SuitePlan plan)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Benchmark suite");
        sb.AppendLine();
        sb.AppendLine(Inv, $"Produced by `{results.Command}` on {results.Date} (2-core CPU machine). {results.RunsFinished} of {results.RunsPlanned} runs finished; their wall time {results.WallSeconds / 3600:F1} h (job-hours; one thread per job with `--jobs 2` on 2 cores, so also core-hours).");
        sb.AppendLine();
        sb.AppendLine(Protocol(plan));
        foreach (var protocol in new[] { SuiteProtocol.User, SuiteProtocol.Split })
        {
            sb.AppendLine();
            sb.AppendLine(protocol == SuiteProtocol.User ? "## User protocol" : "## 800/200 protocol");
            sb.AppendLine();
            sb.Append(Table(results, protocol));
        }
        sb.AppendLine();
        sb.AppendLine("## " + LabelGainTitle);
        sb.AppendLine();
        sb.Append(LabelGainTable(results));
        sb.AppendLine();
        sb.AppendLine("## The grid's selection (first seed, 80/20 split, validation accuracy %)");
        sb.AppendLine();
        sb.AppendLine("| cell | " + string.Join(" | ", SuiteMethods.GridConfigurations) + " | chosen |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", SuiteMethods.GridConfigurations.Count + 1)));
        foreach (var cell in results.Cells.Where(c => c.Protocol == SuiteProtocol.User && c.Grid is not null))
        {
            var chosen = cell.Methods.First(m => m.Method == SuiteMethods.Grid).Augment;
            sb.AppendLine(Inv, $"| {cell.Name} | {string.Join(" | ", cell.Grid!.Select(g => g.ValAccuracy is double v ? ResultsFiles.Percent(v) : "–"))} | {chosen ?? "pending"} |");
        }
        return sb.ToString();
    }

    /// <summary>One column's table: a row per method, a column per cell (mean ± std, Δ [95 % interval]), then the summary over complete cells and the compute.</summary>
    public static string Table(SuiteResults results, SuiteProtocol protocol)
    {
        var cells = results.Cells.Where(c => c.Protocol == protocol).ToList();
        var sb = new StringBuilder();
        sb.AppendLine("| method | " + string.Join(" | ", cells.Select(c => c.Complete ? c.Name : c.Name + " (incomplete)")) + " | mean acc | mean regret | worst regret | s / run | compute h |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", cells.Count + 5)));
        int full = SummarizedCells(results, protocol);
        foreach (var method in results.Methods)
        {
            var summary = results.Summaries.First(s => s.Method == method && s.Protocol == protocol);
            var row = new List<string> { method };
            var perRun = new List<double>();
            foreach (var cell in cells)
            {
                var m = cell.Methods.First(x => x.Method == method);
                perRun.AddRange(m.Runs.Select(r => r.WallSeconds));
                row.Add(Entry(cell, m));
            }
            string Optional(double? v, Func<double, string> f) => v is double x ? f(x) : "–";
            row.Add(Optional(summary.MeanAccuracy, v => ResultsFiles.Percent(v) + (summary.Cells < full ? $" ({summary.Cells} of {full} cells)" : "")));
            row.Add(Optional(summary.MeanRegret, v => (v * 100).ToString("F2", Inv)));
            row.Add(Optional(summary.WorstRegret, v => (v * 100).ToString("F2", Inv)));
            row.Add(perRun.Count > 0 ? perRun.Average().ToString("F0", Inv) : "–");
            row.Add((summary.WallSecondsTotal / 3600).ToString("F2", Inv));
            sb.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        sb.AppendLine();
        sb.AppendLine(Inv, $"Cells: accuracy % mean ± std over seeds, then Δ against the cell's best fixed method (**ref**) with its 95 % interval; the grid's choice and auto's choices over seeds in brackets. {SummaryScope(results, protocol)} Compute: wall hours of the method's runs in this column, the grid's selection included.");
        return sb.ToString();
    }

    /// <summary>The most cells any method of the column is summarized over.</summary>
    public static int SummarizedCells(SuiteResults results, SuiteProtocol protocol) =>
        results.Summaries.Where(s => s.Protocol == protocol).Select(s => s.Cells).DefaultIfEmpty(0).Max();

    /// <summary>Which cells the mean accuracy and regret of a column cover, one sentence.</summary>
    public static string SummaryScope(SuiteResults results, SuiteProtocol protocol) => string.Create(Inv,
        $"Mean accuracy and regret (points) over the cells where the method and the three fixed methods have every seed: {SummarizedCells(results, protocol)} of {results.Cells.Count(c => c.Protocol == protocol)}, fewer where marked; a method without a mean has no such cell.");

    /// <summary>Title of the label-gain table, in <c>results.md</c> and <c>report.html</c>.</summary>
    public const string LabelGainTitle = "What the held-out labels are worth (user protocol − 800/200)";

    /// <summary>What the label-gain table shows, one paragraph.</summary>
    public static string LabelGainNote(SuiteResults results) => string.Create(Inv,
        $"Test accuracy points gained by training on all labelled images instead of 80 % of them (user protocol − 800/200), same seeds, subsets and initial weights, with a 95 % t-interval over seeds: what a method that holds 20 % out for validation must make up. A method whose runs are the same in both columns (it holds 20 % out in both) is not listed. Mean over the cells with all {results.Seeds.Count} seeds.");

    /// <summary>
    /// The label-gain table's rows: each method with runs in both columns, its paired gain per cell of the user
    /// column (<c>–</c> where it has none), then its mean over the cells where it has every seed.
    /// </summary>
    public static IReadOnlyList<(string Method, IReadOnlyList<string> Cells, string Mean)> LabelGainRows(SuiteResults results)
    {
        var cells = results.Cells.Where(c => c.Protocol == SuiteProtocol.User).Select(c => c.Name).ToList();
        var rows = new List<(string, IReadOnlyList<string>, string)>();
        foreach (var method in results.Methods)
        {
            var gains = results.LabelGains.Where(g => g.Method == method).ToDictionary(g => g.Cell);
            if (gains.Count == 0)
            {
                continue;
            }
            var full = gains.Values.Where(g => g.Difference.Seeds == results.Seeds.Count).ToList();
            string mean = full.Count > 0 ? $"{Points(full.Average(g => g.Difference.Mean))} ({full.Count} cell{(full.Count == 1 ? "" : "s")})" : "–";
            rows.Add((method, [.. cells.Select(c => gains.TryGetValue(c, out var g) ? Difference(g.Difference) : "–")], mean));
        }
        return rows;
    }

    /// <summary>The paired gain of training on every labelled image instead of 80 % of them, as a Markdown table and its note.</summary>
    public static string LabelGainTable(SuiteResults results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | " + string.Join(" | ", results.Cells.Where(c => c.Protocol == SuiteProtocol.User).Select(c => c.Name)) + " | mean |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", results.Cells.Count(c => c.Protocol == SuiteProtocol.User) + 1)));
        foreach (var (method, cells, mean) in LabelGainRows(results))
        {
            sb.AppendLine("| " + method + " | " + string.Join(" | ", cells) + " | " + mean + " |");
        }
        sb.AppendLine();
        sb.AppendLine(LabelGainNote(results));
        return sb.ToString();
    }

    private static string Entry(SuiteCell cell, SuiteMethodCell m)
    {
        if (m.Mean is not double mean)
        {
            return "–";
        }
        string accuracy = ResultsFiles.PercentMeanStd(mean, m.Std ?? double.NaN, m.Runs.Count);
        string choice = m.Choice is { } c ? $" ({c})" : "";
        string versus = m.Method == cell.BestFixed ? " **ref**" : m.VsBestFixed is { } d ? $"; Δ {Difference(d)}" : "";
        return accuracy + choice + versus;
    }
}
