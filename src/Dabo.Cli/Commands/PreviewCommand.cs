using System.ComponentModel;
using Dabo.Experiments;
using Dabo.Training;
using Dabo.Training.Runs;
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
        [Description("Dataset (default fashion-mnist); with --run, overrides the run's.")]
        public string? Dataset { get; init; }

        /// <summary>Training subset size.</summary>
        [CommandOption("--train-size <N>")]
        [Description(RunSettings.TrainSizeHelp + " With --run, overrides the run's.")]
        public int? TrainSize { get; init; }

        /// <summary>Validation share.</summary>
        [CommandOption("--val-ratio <R>")]
        [Description(RunSettings.ValRatioHelp + " With --run, overrides the run's.")]
        public double? ValRatio { get; init; }

        /// <summary>Data seed.</summary>
        [CommandOption("--data-seed <S>")]
        [Description(RunSettings.DataSeedHelp + " With --run, overrides the run's.")]
        public int? DataSeed { get; init; }

        /// <summary>Image size.</summary>
        [CommandOption("--image-size <N>")]
        [Description(RunSettings.ImageSizeHelp + " With --run, overrides the run's.")]
        public int? ImageSize { get; init; }

        /// <summary>No flips.</summary>
        [CommandOption("--no-flip")]
        [Description(RunSettings.NoFlipHelp)]
        public bool NoFlip { get; init; }

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
        var config = run?.LoadConfig() ?? new TrainingConfig { Augment = "standard" };
        // The data flags select what train would train on (the same names and defaults); with --run they override its choices.
        config = config with
        {
            Dataset = settings.Dataset ?? config.Dataset,
            Augment = settings.Augment ?? config.Augment,
            TrainSize = settings.TrainSize is null ? config.TrainSize : settings.TrainSize == 0 ? null : settings.TrainSize,
            ValRatio = settings.ValRatio ?? config.ValRatio,
            DataSeed = settings.DataSeed ?? config.DataSeed,
            ImageSize = settings.ImageSize ?? config.ImageSize,
            Flip = !settings.NoFlip && config.Flip,
        };
        config.Validate();
        AugmentationPreview.Write(config, run, settings.Images, output, settings.CacheDir);
        Console.WriteLine($"wrote {output} (rows of originals, each followed by their augmented versions; method {config.Augment})");
        return 0;
    }
}
