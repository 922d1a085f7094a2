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

        /// <summary>Methods.</summary>
        [CommandOption("--methods <LIST>")]
        [Description("Comma-separated methods to compare (default none,learned-affine), e.g. none,trivialaugment,uniform-policy,learned-affine.")]
        public string Methods { get; init; } = "none,learned-affine";

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
        var methods = settings.Methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var comparison = new Comparison(config, methods, [0], settings.Out)
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
