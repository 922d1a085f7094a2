using System.ComponentModel;
using Dabo.Experiments;
using Dabo.Training;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary>
/// <c>dabo demo</c>: the README's main job. On Fashion-MNIST with 1,000 training images it trains
/// <c>none</c> and <c>learned-affine</c> with the same seed, prints a table and writes a report.
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
        [Description("Epochs per run (default 40).")]
        public int Epochs { get; init; } = DemoEpochs;

        /// <summary>Training subset.</summary>
        [CommandOption("--train-size <N>")]
        [Description("Training images (default 1000).")]
        public int TrainSize { get; init; } = 1000;

        /// <summary>Threads.</summary>
        [CommandOption("--threads <T>")]
        [Description("CPU threads (default: all cores).")]
        public int? Threads { get; init; }

        /// <summary>Quiet.</summary>
        [CommandOption("-q|--quiet")]
        [Description("Print only the results table.")]
        public bool Quiet { get; init; }
    }

    /// <summary>Default epochs: enough for the demo to finish within about ten minutes on two cores.</summary>
    public const int DemoEpochs = 40;

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = new TrainingConfig { Dataset = settings.Dataset, TrainSize = settings.TrainSize == 0 ? null : settings.TrainSize, Epochs = settings.Epochs, BatchSize = 32, Seed = 0, TestEvery = 4 };
        config.Validate();
        var comparison = new Comparison(config, ["none", "learned-affine"], [0], settings.Out)
        {
            Threads = settings.Threads,
            RunStarting = settings.Quiet ? null : (m, s, resume) => Console.WriteLine($"== {m}{(resume ? " (resuming)" : "")}"),
        };
        using var cancel = new CancelOnCtrlC(cancellationToken);
        try
        {
            var results = comparison.Run(new ConsoleObserver(settings.Quiet), CommandLine.Current("demo"), cancel.Token);
            ReportWriter.Write(results, settings.Out);
            CompareCommand.Show(results);
            Console.WriteLine($"report: {Path.Combine(settings.Out, "report.html")}; learned augmentation grid: {Path.Combine(settings.Out, "runs", "learned-affine", "seed-0", "augment.png")}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("dabo: interrupted; run 'dabo demo' again to continue where it stopped");
            return 130;
        }
    }
}
