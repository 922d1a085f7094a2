using System.ComponentModel;
using System.Globalization;
using Dabo.Experiments;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo export</c>: a run's classifier as safetensors (TorchSharp.PyBridge) with its normalization beside it.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>dabo export</c>.</summary>
    public sealed class Settings : CommandSettings, ICacheDirectorySettings
    {
        /// <summary>Run directory.</summary>
        [CommandOption("--run <DIR>")]
        [Description("A finished Dabo run. Required.")]
        public string? Run { get; init; }

        /// <summary>Output file.</summary>
        [CommandOption("-o|--out <FILE>")]
        [Description("The file to write, FILE.safetensors or FILE.onnx; FILE.json (normalization, classes, image size, network) is written beside it. Required.")]
        public string? Out { get; init; }

        /// <summary>Export format.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("safetensors (weights for PyTorch's safetensors.torch.load_file) or onnx (the evaluation-mode network with its normalization, for ONNX Runtime: small-cnn, resnet18, resnet20, wrn-D-K). Default: from --out's extension, else safetensors.")]
        public string? Format { get; init; }

        /// <summary>Best model.</summary>
        [CommandOption("--best")]
        [Description("Export the best-validation checkpoint instead of the final model.")]
        public bool Best { get; init; }

        /// <summary>Cache directory.</summary>
        [CommandOption("--cache-dir <DIR>")]
        [Description("Decoded-image cache directory.")]
        public string? CacheDir { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var run = settings.Run ?? throw new DaboException("--run: required; pass a directory written by 'dabo train'");
        var output = settings.Out ?? throw new DaboException("--out: required; e.g. --out model.safetensors");
        var result = ModelExport.Export(run, output, settings.Best, settings.CacheDir, settings.Format);
        var m = result.Metadata;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.WeightsFile}: {m.Model}, {result.Keys.Count} tensors{(m.NormalizationInGraph ? ", normalization in the graph" : "")} ({m.SourceFile} of {m.SourceRun}); {result.MetadataFile}: mean [{string.Join(", ", m.Mean.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}], std [{string.Join(", ", m.Std.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}], {m.ClassNames.Count} classes"));
        return 0;
    }
}
