using System.ComponentModel;
using System.Text.Json;
using Dabo.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo data PATH|fashion-mnist [--json]</c>.</summary>
public sealed class DataCommand : Command<DataCommand.Settings>
{
    /// <summary>Options of <c>dabo data</c>.</summary>
    public sealed class Settings : CommandSettings, ICacheDirectorySettings
    {
        /// <summary>Dataset path or name.</summary>
        [CommandArgument(0, "<DATASET>")]
        [Description("A dataset directory or archive (IDX, CIFAR binary, image folders), or 'fashion-mnist'.")]
        public string Dataset { get; init; } = "";

        /// <summary>Print JSON.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

        /// <summary>Image size.</summary>
        [CommandOption("--image-size <N>")]
        [Description("Resize every image to N×N when reading (as train's --image-size does).")]
        public int? ImageSize { get; init; }

        /// <summary>Pixel limit per image.</summary>
        [CommandOption("--max-image-pixels <N>")]
        [Description("Refuse images larger than N pixels (width × height, read from the header before decoding; default 50000000).")]
        public long? MaxImagePixels { get; init; }

        /// <summary>Decoded-image cache directory.</summary>
        [CommandOption("--cache-dir <DIR>")]
        [Description("Where decoded image folders are cached (default: $DABO_CACHE_DIR, else ~/.cache/dabo).")]
        public string? CacheDir { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var dataset = DatasetLoader.Load(settings.Dataset, settings.CacheDir, settings.ImageSize, settings.MaxImagePixels);
        var summary = DatasetSummary.Of(dataset, watch.Elapsed.TotalSeconds);
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(summary, DatasetSummary.JsonOptions));
            return 0;
        }
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(summary.Source)}[/]");
        var table = new Table().AddColumns("", "value");
        table.AddRow("format", summary.Format);
        table.AddRow("train images", summary.Train.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        if (summary.Val is int val)
        {
            table.AddRow("val images (val/, the validation split)", val.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }
        table.AddRow("test images", summary.Test.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("shape [[C,H,W]]", $"[[{string.Join(",", summary.Shape)}]]");
        if (summary.GrayscaleConvertedToRgb > 0)
        {
            table.AddRow("grayscale images", $"{summary.GrayscaleConvertedToRgb.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} converted to RGB (channels repeated; the dataset also holds colour images)");
        }
        table.AddRow("mean (train)", string.Join(", ", summary.Mean.Select(m => m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        table.AddRow("std (train)", string.Join(", ", summary.Std.Select(m => m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        table.AddRow("load time", $"{summary.LoadSeconds:F2} s");
        AnsiConsole.Write(table);
        var classes = new Table().AddColumns(summary.ValPerClass is null ? ["label", "class", "train", "test"] : ["label", "class", "train", "val", "test"]);
        for (int i = 0; i < summary.Classes.Count; i++)
        {
            string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string[] row = summary.ValPerClass is { } valPerClass
                ? [Count(i), Markup.Escape(summary.Classes[i]), Count(summary.TrainPerClass[i]), Count(valPerClass[i]), Count(summary.TestPerClass[i])]
                : [Count(i), Markup.Escape(summary.Classes[i]), Count(summary.TrainPerClass[i]), Count(summary.TestPerClass[i])];
            classes.AddRow(row);
        }
        AnsiConsole.Write(classes);
        return 0;
    }
}
