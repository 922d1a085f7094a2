using System.ComponentModel;
using System.Globalization;
using Dabo.Cli.Slurm;
using Dabo.Experiments.Benchmarks.Suite;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>
/// <c>dabo bench suite</c>: every method on four datasets × two schedules with 1,000 labelled images, paired
/// seeds, the user's protocol and the 800/200 one, regret against the best fixed method of each cell.
/// </summary>
public sealed class BenchSuiteCommand : Command<BenchSuiteCommand.Settings>
{
    /// <summary>Options of <c>dabo bench suite</c>.</summary>
    public sealed class Settings : BenchClusterSettings
    {
        /// <summary>Quick mode.</summary>
        [CommandOption("--quick")]
        [Description("One seed, the short schedule, two datasets (fashion-mnist, pbc-blood), the user's protocol only (no 800/200 extras): a subset of the full suite's runs, in the same directory layout, so the full suite reuses them.")]
        public bool Quick { get; init; }

        /// <summary>The user's protocol only.</summary>
        [CommandOption("--user-protocol-only")]
        [Description("Train and report only the user's protocol, without the 800/200 extras (as --quick does): the first answer in about half the runs; the full suite reuses these runs.")]
        public bool UserProtocolOnly { get; init; }

        /// <summary>Datasets.</summary>
        [CommandOption("--datasets <LIST>")]
        [Description("Comma-separated subset of fashion-mnist,pbc-blood,gtsrb,cifar10 (default all four; quick: fashion-mnist,pbc-blood).")]
        public string? Datasets { get; init; }

        /// <summary>Schedules.</summary>
        [CommandOption("--schedules <LIST>")]
        [Description("Comma-separated subset of short (about 2,500 SGD steps) and long (about 7,500) (default both; quick: short).")]
        public string? Schedules { get; init; }

        /// <summary>Methods.</summary>
        [CommandOption("--methods <LIST>")]
        [Description("Comma-separated methods (default none,trivialaugment,randaugment,randaugment-grid,uniform-policy,learned-policy). Any --augment method may join: one with a learned part holds 20 % out for validation in the user's protocol, any other trains on all labelled images; randaugment-grid is RandAugment's N × M grid chosen on validation.")]
        public string? Methods { get; init; }

        /// <summary>Seeds.</summary>
        [CommandOption("--seeds <N>")]
        [Description("Seeds 0 … N−1 (default 3, quick 1). Each seed draws its own labelled subset, the same for every method.")]
        public int? Seeds { get; init; }

        /// <summary>Data folder.</summary>
        [CommandOption("--data-dir <DIR>")]
        [Description("Folder holding gtsrb-32.tar.gz, pbc-blood-32.tar.gz and cifar10-jpg.tar.gz (default ../shared/data from the repository root); Fashion-MNIST comes from /usr/share/datasets/fashion-mnist.")]
        public string DataDir { get; init; } = SuiteDataset.SharedData;

        /// <summary>Output.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output directory (default runs/bench-suite; quick runs go there too, so that the full suite reuses them).")]
        public string? Out { get; init; }

        /// <summary>Print the plan.</summary>
        [CommandOption("--plan")]
        [Description("Print the run list in run order, what is finished, and the estimated cost; train nothing.")]
        public bool Plan { get; init; }

        /// <summary>Write the report only.</summary>
        [CommandOption("--report")]
        [Description("Write results.md, results.json and report.html from the runs finished so far (unfinished cells marked incomplete); train nothing.")]
        public bool Report { get; init; }

        /// <summary>Threads.</summary>
        [CommandOption("--threads <T>")]
        [Description("CPU threads per job (default: the cores divided among the jobs).")]
        public override int? Threads { get; init; }
    }

    /// <summary>The plan the flags select.</summary>
    public static SuitePlan CreatePlan(Settings settings, string output)
    {
        // Absolute, so that a run's config.json names the same archive whichever directory the suite is rerun from.
        var datasets = SuiteDataset.Defaults(Path.GetFullPath(BenchAccuracyCommand.RepositoryPath(settings.DataDir)));
        var datasetNames = Pick("--datasets", settings.Datasets, settings.Quick ? SuiteDataset.QuickNames : null, datasets.Select(d => d.Name).ToList());
        var scheduleNames = Pick("--schedules", settings.Schedules, settings.Quick ? [SuiteSchedule.Short.Name] : null, SuiteSchedule.Defaults.Select(s => s.Name).ToList());
        var methods = settings.Methods is null ? SuiteMethods.Defaults : Split(settings.Methods);
        var seeds = CompareCommand.Seeds(settings.Seeds ?? (settings.Quick ? 1 : 3));
        var chosen = datasets.Where(d => datasetNames.Contains(d.Name)).ToList();
        foreach (var d in chosen.Where(d => d.Path != "fashion-mnist" && !File.Exists(d.Path) && !Directory.Exists(d.Path)))
        {
            throw new DaboException($"--data-dir {settings.DataDir}: {Path.GetFileName(d.Path)} is not there ({d.Path}); pass --data-dir with the folder holding it, or leave {d.Name} out of --datasets");
        }
        return new SuitePlan(chosen, [.. SuiteSchedule.Defaults.Where(s => scheduleNames.Contains(s.Name))], methods, seeds, output) { SplitColumn = !settings.Quick && !settings.UserProtocolOnly };
    }

    private static List<string> Split(string list) => [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    // A comma-separated subset of the known names, in the known names' order.
    private static List<string> Pick(string flag, string? given, IReadOnlyList<string>? quickDefault, List<string> known)
    {
        if (given is null)
        {
            return [.. quickDefault ?? known];
        }
        var wanted = Split(given);
        foreach (var w in wanted.Where(w => !known.Contains(w)))
        {
            throw new DaboException($"{flag}: unknown name '{w}'; choose from {string.Join(",", known)}");
        }
        return wanted.Count == 0 ? throw new DaboException($"{flag}: empty; choose from {string.Join(",", known)}") : [.. known.Where(wanted.Contains)];
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string output = settings.Out ?? Path.Combine("runs", "bench-suite");
        var plan = CreatePlan(settings, output);
        int jobs = settings.Jobs ?? 1;
        if (settings.Plan)
        {
            Console.Write(PlanText(plan, jobs));
            return 0;
        }
        if (settings.Report)
        {
            WriteReport(plan, output, context.Arguments);
            return 0;
        }
        SlurmLauncher.Check(settings);
        if (settings.Slurm)
        {
            return SlurmLauncher.Submit(context.Arguments, settings, "bench suite", output, plan.Runs().Count(r => r.Job is not { IsFinished: true }), gpu: false, "results.md");
        }
        using var cancel = new CancelOnCtrlC(cancellationToken);
        Action<SuiteRun, bool>? starting = settings.Quiet ? null : (run, resume) =>
            Console.WriteLine($"== {run.Dataset} {run.Schedule}: {run.Augment} ({run.TrainSet.ToString().ToLowerInvariant()}), seed {run.Seed}{(resume ? " (resuming)" : "")} [{DateTime.UtcNow:HH:mm} UTC]");
        if (settings.Worker)
        {
            var worker = new SuiteRunner(plan) { Threads = settings.Threads, RunStarting = starting };
            return CompareCommand.Worker(output, () => worker.Run(new ConsoleObserver(settings.Quiet), waitForOthers: false, cancel.Token));
        }
        var runner = new SuiteRunner(plan)
        {
            Threads = WorkerProcesses.ThreadsPerJob(jobs, settings.Threads),
            RunStarting = starting,
            Waiting = settings.Quiet ? null : WorkerProcesses.SayWaiting,
        };
        using var workers = WorkerProcesses.Start(context.Arguments, jobs, settings.Threads, output, settings.Quiet);
        try
        {
            var outcome = runner.Run(new ConsoleObserver(settings.Quiet), waitForOthers: true, cancel.Token);
            workers.ReportFailures();
            Console.WriteLine($"every run of the suite is finished ({plan.Runs().Count} runs; this process trained {outcome.Trained})");
            WriteReport(plan, output, context.Arguments);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run the same command again to continue (finished runs are reused)");
            return 130;
        }
    }

    // results.md, results.json and report.html; the user protocol's table on the console.
    private static void WriteReport(SuitePlan plan, string output, IReadOnlyList<string> arguments)
    {
        var results = SuiteResults.Collect(plan, CommandLine.Current(arguments, "suite"));
        SuiteReport.Write(results, plan, output);
        Dabo.Reporting.SuiteHtmlReport.Write(results, plan, output);
        Console.WriteLine($"user protocol ({results.RunsFinished} of {results.RunsPlanned} runs finished):");
        Console.Write(SuiteReport.Table(results, SuiteProtocol.User));
        Console.WriteLine($"wrote {Path.Combine(output, SuiteReport.MarkdownFile)}, {SuiteReport.JsonFile} and report.html");
    }

    /// <summary>The run list in run order with each run's state, the counts per phase and the estimated cost.</summary>
    public static string PlanText(SuitePlan plan, int jobs)
    {
        var runs = plan.Runs();
        var sb = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"bench suite: {plan.Datasets.Count} dataset(s) × {plan.Schedules.Count} schedule(s) × {plan.Methods.Count} method(s) × {plan.Seeds.Count} seed(s) → {runs.Count} runs in {plan.Directory}");
        foreach (var d in plan.Datasets)
        {
            sb.AppendLine(inv, $"  {d.Name}: {d.TrainSize} labelled images ({d.PerClass} per class), user protocol trains fixed methods on {SuitePlan.TrainImages(d, SuiteTrainSet.All)}, hold-out runs on {SuitePlan.TrainImages(d, SuiteTrainSet.HoldOut)}{(d.Flip ? "" : ", no mirrors")}");
        }
        foreach (var s in plan.Schedules)
        {
            sb.AppendLine(inv, $"  {s.Name}: about {s.Steps} steps (epochs: {string.Join(", ", plan.Datasets.Select(d => $"{d.Name} {s.Epochs(SuitePlan.TrainImages(d, SuiteTrainSet.All), plan.BaseConfig.BatchSize)}/{s.Epochs(SuitePlan.TrainImages(d, SuiteTrainSet.HoldOut), plan.BaseConfig.BatchSize)}"))} for all/hold-out)");
        }
        sb.AppendLine();
        sb.AppendLine("phase  dataset        schedule  seed  train    role            augmentation               state");
        foreach (var r in runs)
        {
            string state = r.Job is null ? "waits for the grid's selection" : r.Job.IsFinished ? "finished" : Directory.Exists(r.Job.Directory) ? "started" : "to run";
            sb.AppendLine(inv, $"{r.Phase,5}  {r.Dataset,-13}  {r.Schedule,-8}  {r.Seed,4}  {(r.TrainSet == SuiteTrainSet.All ? "all" : "holdout"),-7}  {Role(r.Role),-14}  {r.Augment ?? "(grid's choice)",-25}  {state}");
        }
        sb.AppendLine();
        var (estimates, finished) = SuiteCost.Estimate(plan, runs);
        foreach (var phase in runs.Select((r, i) => (Run: r, Seconds: estimates[i])).GroupBy(x => x.Run.Phase))
        {
            sb.AppendLine(inv, $"phase {phase.Key} ({PhaseName(plan, phase.Key)}): {phase.Count()} runs, {phase.Count(x => x.Run.Job is { IsFinished: true })} finished, about {phase.Sum(x => x.Seconds) / 3600:F1} job-hours to go");
        }
        double remaining = estimates.Sum();
        sb.AppendLine(inv, $"finished runs took {finished / 3600:F1} job-hours; the rest is estimated at {remaining / 3600:F1} job-hours, about {remaining / 3600 / Math.Max(1, jobs):F1} h of wall time with --jobs {jobs} (seconds per step measured on finished runs of the same dataset and augmentation, else a prior measured with 2 jobs sharing 2 cores; a job-hour is a core-hour at one thread per job)");
        return sb.ToString();
    }

    private static string Role(SuiteRole role) => role switch
    {
        SuiteRole.GridSelection => "grid selection",
        SuiteRole.GridChosen => "grid choice",
        _ => "method",
    };

    private static string PhaseName(SuitePlan plan, int phase) =>
        $"{plan.Schedules[(phase - 1) / 2].Name} schedule, {(phase % 2 == 1 ? "user protocol" : "800/200 extras")}";
}
