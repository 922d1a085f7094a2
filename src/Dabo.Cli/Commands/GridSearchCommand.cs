using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dabo.Cli.Slurm;
using Dabo.Experiments;
using Dabo.IO;
using Dabo.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo grid-search</c>: one classifier per magnitude, best by validation accuracy, total cost reported.</summary>
public sealed class GridSearchCommand : Command<GridSearchCommand.Settings>
{
    /// <summary>Options of <c>dabo grid-search</c>.</summary>
    public sealed class Settings : ExperimentSettings
    {
        /// <summary>Family.</summary>
        [CommandOption("--family <NAME>")]
        [Description("Random augmentation family whose magnitude is searched: random-affine (default).")]
        public string? Family { get; init; }

        /// <summary>Grid.</summary>
        [CommandOption("--grid <LIST>")]
        [Description("Magnitudes in [0, 1] (default 0,0.25,0.5,0.75,1).")]
        public string? Grid { get; init; }

        /// <summary>Seeds.</summary>
        [CommandOption("--seeds <N>")]
        [Description("Seeds per magnitude (default 1).")]
        public int? Seeds { get; init; }

        /// <summary>Output.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output directory (one run per magnitude and seed, results.md, results.json). Required.")]
        public string? Out { get; init; }

        /// <summary>Quiet.</summary>
        [CommandOption("-q|--quiet")]
        [Description("Print only the result.")]
        public bool Quiet { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var output = settings.Out ?? throw new DaboException("--out: required; pass the directory for the search, e.g. --out runs/grid");
        Dabo.IO.OutputPaths.CheckDirectory("--out", output);
        var config = settings.ToConfig();
        int jobs = settings.Jobs ?? 1;
        var search = new GridSearch(config, settings.Family ?? "random-affine", CompareCommand.ParseGrid(settings.Grid), CompareCommand.Seeds(settings.Seeds ?? 1), output)
        {
            CacheDirectory = settings.CacheDir,
            Threads = WorkerProcesses.ThreadsPerJob(jobs, settings.Threads),
            RunStarting = settings.Quiet ? null : (m, s, resume) => Console.WriteLine($"== {m}, seed {s}{(resume ? " (resuming)" : "")}"),
            Waiting = settings.Quiet ? null : WorkerProcesses.SayWaiting,
        };
        settings.CheckPolicyFlags([settings.Family ?? "random-affine"], $"grid-search trains {settings.Family ?? "random-affine"}");
        SlurmLauncher.Check(settings);
        if (settings.Slurm)
        {
            return SlurmLauncher.Submit(context.Arguments, settings, "grid-search", output, search.Jobs().Count(j => !j.IsFinished), SlurmLauncher.IsCuda(config.Device), "results.md");
        }
        using var cancel = new CancelOnCtrlC(cancellationToken);
        if (settings.Worker)
        {
            return CompareCommand.Worker(output, () => search.RunWorker(settings.Observer(new ConsoleObserver(settings.Quiet)), cancel.Token));
        }
        using var workers = WorkerProcesses.Start(context.Arguments, jobs, settings.Threads, output, settings.Quiet);
        try
        {
            var outcome = search.Run(settings.Observer(new ConsoleObserver(settings.Quiet)), cancel.Token);
            workers.ReportFailures();
            Write(outcome, config, output, context.Arguments);
            var table = new Table().AddColumns("magnitude", "val acc %", "test acc %", "wall s");
            foreach (var p in outcome.Points)
            {
                table.AddRow((p.Magnitude == outcome.BestMagnitude ? "[bold]" : "[dim]") + p.Magnitude.ToString("0.###", CultureInfo.InvariantCulture) + "[/]",
                    ResultsFiles.Percent(p.ValAccuracy), ResultsFiles.Percent(p.TestAccuracy), p.WallSeconds.ToString("F0", CultureInfo.InvariantCulture));
            }
            AnsiConsole.Write(table);
            var best = outcome.Points.Single(p => p.Magnitude == outcome.BestMagnitude);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best magnitude {outcome.BestMagnitude} by validation: test accuracy {ResultsFiles.Percent(best.TestAccuracy)} %; the whole search took {outcome.TotalWallSeconds:F0} s ({outcome.Points.Count} magnitudes); {Path.Combine(output, "results.md")}"));
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run the same command again to continue (finished runs are reused)");
            return 130;
        }
    }

    private static void Write(GridSearchOutcome outcome, TrainingConfig config, string output, IReadOnlyList<string> arguments)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Grid search, dataset `{config.Dataset}`, model `{config.Model}`, {config.Epochs} epochs ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC).");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(CommandLine.Current(arguments, "grid-search"));
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("| magnitude | val accuracy % | test accuracy % | wall s |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var p in outcome.Points)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {p.Magnitude}{(p.Magnitude == outcome.BestMagnitude ? " (best by val)" : "")} | {ResultsFiles.Percent(p.ValAccuracy)} | {ResultsFiles.Percent(p.TestAccuracy)} | {p.WallSeconds:F0} |");
        }
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Total wall time of the search: {outcome.TotalWallSeconds:F0} s.");
        AtomicFile.WriteAllText(Path.Combine(output, "results.md"), sb.ToString());
        AtomicFile.WriteAllText(Path.Combine(output, "results.json"), JsonSerializer.Serialize(outcome, TrainingConfig.JsonOptions));
    }
}
