using System.ComponentModel;
using System.Globalization;
using Dabo.Cli.Slurm;
using Dabo.Experiments;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo compare</c>: every method × seed, resumable, then results.md, results.json and report.html.</summary>
public sealed class CompareCommand : Command<CompareCommand.Settings>
{
    /// <summary>Options of <c>dabo compare</c>.</summary>
    public sealed class Settings : ExperimentSettings
    {
        /// <summary>Methods.</summary>
        [CommandOption("--methods <LIST>")]
        [Description("Comma-separated methods, e.g. none,standard,trivialaugment,learned-affine; grid:random-affine runs a whole grid search (its cost counts in full). Default none,learned-affine.")]
        public string? Methods { get; init; }

        /// <summary>Seeds.</summary>
        [CommandOption("--seeds <N>")]
        [Description("Number of seeds (0 … N−1) per method (default 1).")]
        public int? Seeds { get; init; }

        /// <summary>Grid.</summary>
        [CommandOption("--grid <LIST>")]
        [Description("Magnitudes for grid:… methods (default 0,0.25,0.5,0.75,1).")]
        public string? Grid { get; init; }

        /// <summary>Output.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output directory (runs/, results.md, results.json, report.html). Required.")]
        public string? Out { get; init; }

        /// <summary>Quiet.</summary>
        [CommandOption("-q|--quiet")]
        [Description("Print only the results table.")]
        public bool Quiet { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var output = settings.Out ?? throw new DaboException("--out: required; pass the directory for the comparison, e.g. --out runs/cmp");
        Dabo.IO.OutputPaths.CheckDirectory("--out", output);
        var config = settings.ToConfig();
        var methods = (settings.Methods ?? "none,learned-affine").Split(',', StringSplitOptions.TrimEntries);
        var seeds = Seeds(settings.Seeds ?? 1);
        int jobs = settings.Jobs ?? 1;
        var comparison = new Comparison(config, methods, seeds, output)
        {
            Grid = ParseGrid(settings.Grid),
            CacheDirectory = settings.CacheDir,
            Threads = WorkerProcesses.ThreadsPerJob(jobs, settings.Threads),
            RunStarting = settings.Quiet ? null : (m, s, resume) => Console.WriteLine($"== {m}, seed {s}{(resume ? " (resuming)" : "")}"),
            Waiting = settings.Quiet ? null : WorkerProcesses.SayWaiting,
        };
        settings.CheckPolicyFlags(methods, $"--methods has {string.Join(",", methods)}");
        SlurmLauncher.Check(settings);
        if (settings.Slurm)
        {
            return SlurmLauncher.Submit(context.Arguments, settings, "compare", output, comparison.Jobs().Count(j => !j.IsFinished), SlurmLauncher.IsCuda(config.Device), "results.md");
        }
        var console = new ConsoleObserver(settings.Quiet);
        using var cancel = new CancelOnCtrlC(cancellationToken);
        if (settings.Worker)
        {
            return Worker(output, () => comparison.RunWorker(settings.Observer(console), cancel.Token));
        }
        using var workers = WorkerProcesses.Start(context.Arguments, jobs, settings.Threads, output, settings.Quiet);
        try
        {
            var results = comparison.Run(settings.Observer(console), CommandLine.Current(context.Arguments, "compare"), cancel.Token);
            workers.ReportFailures();
            ReportWriter.Write(results, output, settings.CacheDir);
            Show(results);
            Console.WriteLine($"wrote {Path.Combine(output, "results.md")}, results.json and report.html");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run the same command again to continue (finished runs are reused, the interrupted one resumes)");
            return 130;
        }
    }

    /// <summary>Runs <paramref name="work"/> as a <c>--worker</c>: checks the file locks, says what it did.</summary>
    public static int Worker(string output, Func<WorkerOutcome> work)
    {
        SlurmLauncher.CheckLocks(output, "--worker");
        try
        {
            Console.WriteLine(SlurmLauncher.WorkerSummary(work()));
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; the run in progress resumes from its last epoch in the next worker");
            return 130;
        }
    }

    /// <summary>Seeds 0 … n−1.</summary>
    public static int[] Seeds(int n) => n > 0 ? Enumerable.Range(0, n).ToArray() : throw new DaboException($"--seeds {n}: must be at least 1");

    /// <summary>Parses <c>--grid</c>.</summary>
    public static IReadOnlyList<double> ParseGrid(string? grid)
    {
        if (grid is null)
        {
            return GridSearch.DefaultGrid;
        }
        var parts = grid.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new DaboException("--grid: empty; give magnitudes such as 0,0.25,0.5,0.75,1");
        }
        var magnitudes = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 1
            ? v
            : throw new DaboException($"--grid {grid}: '{p}' is not a magnitude in [0, 1]")).ToArray();
        GridSearch.CheckGrid(magnitudes);
        return magnitudes;
    }

    /// <summary>Prints the results table.</summary>
    public static void Show(ComparisonResults results)
    {
        var table = new Table().AddColumns("method", "seeds", "test %", "val %", "vs none", "s/run", "total s");
        foreach (var r in results.Methods)
        {
            table.AddRow(Markup.Escape(r.Method), r.Seeds.ToString(CultureInfo.InvariantCulture),
                ResultsFiles.PercentMeanStd(r.TestAccuracyMean, r.TestAccuracyStd, r.Seeds, "±"),
                r.ValAccuracyMean is double v ? ResultsFiles.Percent(v) : "–",
                r.GainOverNone is double g ? (g * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–",
                r.WallSecondsMean.ToString("F0", CultureInfo.InvariantCulture),
                r.WallSecondsTotal.ToString("F0", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(table.Caption("test: mean±std over seeds (n/a: one seed); vs none: percentage points"));
    }
}
