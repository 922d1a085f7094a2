using System.ComponentModel;
using Dabo.Experiments;
using Dabo.Training;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo preview</c>: originals beside augmented versions, from a run or any method.</summary>
public sealed class PreviewCommand : Command<PreviewCommand.Settings>
{
    /// <summary>Options of <c>dabo preview</c>.</summary>
    public sealed class Settings : CommandSettings, ICacheDirectorySettings
    {
        /// <summary>Run directory.</summary>
        [CommandOption("--run <DIR>")]
        [Description("A Dabo run: its dataset and augmentation (a learned augmenter is read from augmenter.bin, a learned policy from policy.json).")]
        public string? Run { get; init; }

        /// <summary>Method without a run.</summary>
        [CommandOption("-a|--augment <METHOD>")]
        [Description("Preview a fixed method (or learned:RUN_DIR) without a run; with --run, overrides its method.")]
        public string? Augment { get; init; }

        /// <summary>Dataset without a run.</summary>
        [CommandOption("-d|--dataset <PATH>")]
        [Description("Dataset when no --run is given (default fashion-mnist).")]
        public string? Dataset { get; init; }

        /// <summary>Image count.</summary>
        [CommandOption("--images <N>")]
        [Description("Number of training images shown (default 32).")]
        public int Images { get; init; } = 32;

        /// <summary>Output PNG.</summary>
        [CommandOption("-o|--out <FILE.png>")]
        [Description("The PNG to write. Required.")]
        public string? Out { get; init; }

        /// <summary>Cache directory.</summary>
        [CommandOption("--cache-dir <DIR>")]
        [Description("Decoded-image cache directory.")]
        public string? CacheDir { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var output = settings.Out ?? throw new DaboException("--out: required; pass the PNG to write, e.g. --out preview.png");
        RunDirectory? run = settings.Run is null ? null : new RunDirectory(settings.Run);
        var config = run?.LoadConfig() ?? new TrainingConfig { Dataset = settings.Dataset ?? "fashion-mnist", Augment = settings.Augment ?? "standard" };
        if (run is not null && settings.Augment is not null)
        {
            config = config with { Augment = settings.Augment };
        }
        config.Validate();
        AugmentationPreview.Write(config, run, settings.Images, output, settings.CacheDir);
        Console.WriteLine($"wrote {output} (rows of originals, each followed by their augmented versions; method {config.Augment})");
        return 0;
    }
}
