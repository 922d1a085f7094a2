using System.ComponentModel;
using System.Globalization;
using Dabo.Experiments;
using Dabo.IO;
using Dabo.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo train</c>: trains one classifier with one augmentation method.</summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>dabo train</c>.</summary>
    public sealed class Settings : RunSettings
    {
        /// <summary>Run directory.</summary>
        [CommandOption("-o|--out <DIR>")]
        [Description("Run directory (config.json, metrics.jsonl, checkpoint.bin, summary.json, augment.png). Required.")]
        public string? Out { get; init; }

        /// <summary>Continue an interrupted run.</summary>
        [CommandOption("--resume")]
        [Description("Continue the run in --out from its last checkpoint (same flags required).")]
        public bool Resume { get; init; }

        /// <summary>Quiet output.</summary>
        [CommandOption("-q|--quiet")]
        [Description("Print nothing but warnings and errors.")]
        public bool Quiet { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Out))
        {
            throw new DaboException("--out: required; pass the directory for the run, e.g. --out runs/x");
        }
        OutputPaths.CheckDirectory("--out", settings.Out);
        var config = settings.ToConfig();
        settings.CheckPolicyFlags([config.Augment], $"--augment is {config.Augment}");
        var observer = new ConsoleObserver(settings.Quiet);
        var trainer = new Trainer(config, settings.Out, settings.Observer(observer)) { Threads = settings.Threads, CacheDirectory = settings.CacheDir };
        using var cancel = new CancelOnCtrlC(cancellationToken);
        try
        {
            var summary = observer.Run($"training {config.Augment}", () => trainer.Run(settings.Resume, cancel.Token));
            if (!settings.Quiet)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"done: test accuracy {summary.TestAccuracy:F4} (final model), {summary.TestAccuracyAtBestVal:F4} at best validation epoch {summary.BestValEpoch}; {summary.WallSeconds:F0} s; {Path.Combine(settings.Out, "summary.json")}"));
                if (summary.TimeBreakdown is { } breakdown)
                {
                    Console.WriteLine($"time: {RunTimes.Describe(breakdown, summary.WallSeconds)}");
                }
                if (RunChoice.Describe(settings.Out, summary.Method) is { } choice)
                {
                    Console.WriteLine(choice);
                }
            }
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"dabo: interrupted; the last finished epoch is checkpointed, continue with the same flags and --resume");
            return 130;
        }
    }
}
