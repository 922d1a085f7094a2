using System.ComponentModel;
using Dabo.Experiments;
using Dabo.Training;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>
/// <c>dabo demo</c>: the README's main job. On Fashion-MNIST with 1,000 training images it trains
/// <c>none</c>, <c>trivialaugment</c> and <c>auto</c> (the method Dabo recommends) with the same seed, prints a
/// table, the verdict line and what <c>auto</c> chose, and writes a self-contained report.
/// Finished runs are reused, so a second call only redraws the table.
/// </summary>
public sealed class DemoCommand : Command<DemoCommand.Settings>
{
    /// <summary>Options of <c>dabo demo</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Output.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Output directory (default runs/demo).")]
        public string Out { get; init; } = Path.Combine("runs", "demo");

        /// <summary>Dataset.</summary>
        [CommandOption("-d|--dataset <PATH>")]
        [Description("Dataset (default fashion-mnist).")]
        public string Dataset { get; init; } = "fashion-mnist";

        /// <summary>Epochs.</summary>
        [CommandOption("-e|--epochs <E>")]
        [Description("Epochs per run (default 200: 5,000 SGD steps at 1,000 images, where augmentation pays off).")]
        public int Epochs { get; init; } = DemoEpochs;

        /// <summary>Training subset.</summary>
        [CommandOption("--train-size <N>")]
        [Description("Training images (default 1000).")]
        public int TrainSize { get; init; } = 1000;

        /// <summary>Methods.</summary>
        [CommandOption("--methods <LIST>")]
        [Description("Comma-separated methods to compare (default none,trivialaugment,auto), e.g. none,randaugment,learned-policy.")]
        public string Methods { get; init; } = "none,trivialaugment,auto";

        /// <summary>Threads.</summary>
        [CommandOption("--threads <T>")]
        [Description("CPU threads (default: all cores).")]
        public int? Threads { get; init; }

        /// <summary>Jobs.</summary>
        [CommandOption("-j|--jobs <N>")]
        [Description("Runs trained at once, in separate processes (default 2; one per core on the 2-core machine).")]
        public int Jobs { get; init; } = 2;

        /// <summary>Quiet.</summary>
        [CommandOption("-q|--quiet")]
        [Description("Print only the results table.")]
        public bool Quiet { get; init; }
    }

    /// <summary>
    /// Default epochs: 200 epochs of 25 steps, the 5,000 SGD steps after which augmentation pays off on
    /// Fashion-MNIST 1k (fewer, and no augmentation wins); with two jobs it fits in about ten minutes on two cores.
    /// </summary>
    public const int DemoEpochs = 200;

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Dabo.IO.OutputPaths.CheckDirectory("--out", settings.Out);
        // The test split is evaluated 4 times and at the end: the model is chosen on validation anyway.
        var config = new TrainingConfig { Dataset = settings.Dataset, TrainSize = settings.TrainSize == 0 ? null : settings.TrainSize, Epochs = settings.Epochs, BatchSize = 32, Seed = 0, TestEvery = Math.Max(1, settings.Epochs / 4) };
        config.Validate();
        var methods = settings.Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var comparison = new Comparison(config, methods, [0], settings.Out)
        {
            Threads = WorkerProcesses.ThreadsPerJob(settings.Jobs, settings.Threads),
            RunStarting = settings.Quiet ? null : (m, s, resume) => Console.WriteLine($"== {m}{(resume ? " (resuming)" : "")}"),
            Waiting = settings.Quiet ? null : WorkerProcesses.SayWaiting,
        };
        using var cancel = new CancelOnCtrlC(cancellationToken);
        using var workers = WorkerProcesses.Start(context.Arguments, settings.Jobs, settings.Threads, settings.Out, settings.Quiet);
        try
        {
            var results = comparison.Run(new ConsoleObserver(settings.Quiet), CommandLine.Current(context.Arguments, "demo"), cancel.Token);
            workers.ReportFailures();
            ReportWriter.Write(results, settings.Out);
            CompareCommand.Show(results);
            Console.WriteLine(Verdict.Describe(results, Verdict.TestImages(results)));
            foreach (var choice in results.Methods.SelectMany(m => m.RunDirectories.Select(d => RunChoice.Describe(d, m.Method))).OfType<string>())
            {
                Console.WriteLine(choice);
            }
            var grids = methods.Select(m => Path.Combine(settings.Out, "runs", m, "seed-0", "augment.png")).Where(File.Exists);
            Console.WriteLine($"report: {Path.Combine(settings.Out, "report.html")}; augmentation grids: {string.Join(", ", grids)}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run 'dabo demo' again to continue where it stopped");
            return 130;
        }
    }
}
