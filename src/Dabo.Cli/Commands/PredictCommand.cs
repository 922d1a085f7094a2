using System.ComponentModel;
using Dabo.Experiments;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo predict</c>: classifies image files with a run's classifier and prints (or writes) a CSV.</summary>
public sealed class PredictCommand : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>dabo predict</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Images.</summary>
        [CommandArgument(0, "<PATH>")]
        [Description("Image files or folders of images (searched recursively; JPEG, PNG, BMP, WebP, GIF).")]
        public string[] Paths { get; init; } = [];

        /// <summary>Run directory.</summary>
        [CommandOption("--run <DIR>")]
        [Description("A finished Dabo run: its model, normalization, classes and image size are used. Required.")]
        public string? Run { get; init; }

        /// <summary>Output file.</summary>
        [CommandOption("-o|--out <FILE>")]
        [Description("Write the CSV to FILE (atomically) instead of standard output.")]
        public string? Out { get; init; }

        /// <summary>Best model.</summary>
        [CommandOption("--best")]
        [Description("Use the best-validation model instead of the final one.")]
        public bool Best { get; init; }

        /// <summary>Threads.</summary>
        [CommandOption("--threads <T>")]
        [Description("CPU threads (default: all cores).")]
        public int? Threads { get; init; }

        /// <summary>Cache directory.</summary>
        [CommandOption("--cache-dir <DIR>")]
        [Description("Decoded-image cache directory (only for runs trained before data.json was written).")]
        public string? CacheDir { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = settings.Run ?? throw new DaboException("--run: required; pass a directory written by 'dabo train'");
        if (settings.Out is not null)
        {
            PredictionCsv.CheckOutput(settings.Out);
        }
        TorchRuntime.Initialize(settings.Threads);
        using var classifier = TrainedClassifier.LoadRun(run, settings.Best, cacheDirectory: settings.CacheDir);
        var predictions = classifier.Predict(settings.Paths);
        if (settings.Out is null)
        {
            Console.Out.Write(PredictionCsv.Format(classifier.ClassNames, predictions));
        }
        else
        {
            PredictionCsv.Write(settings.Out, classifier.ClassNames, predictions);
            Console.Error.WriteLine($"{settings.Out}: {predictions.Count} image(s), {classifier.ClassNames.Count} classes");
        }
        return 0;
    }
}
