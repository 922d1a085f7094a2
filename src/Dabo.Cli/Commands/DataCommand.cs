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
    public sealed class Settings : CommandSettings
    {
        /// <summary>Dataset path or name.</summary>
        [CommandArgument(0, "<DATASET>")]
        [Description("A dataset directory or archive (IDX, CIFAR binary, image folders), or 'fashion-mnist'.")]
        public string Dataset { get; init; } = "";

        /// <summary>Print JSON.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object instead of a table.")]
        public bool Json { get; init; }

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
        using var dataset = DatasetLoader.Load(settings.Dataset, settings.CacheDir);
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
        table.AddRow("test images", summary.Test.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("shape [[C,H,W]]", $"[[{string.Join(",", summary.Shape)}]]");
        table.AddRow("mean (train)", string.Join(", ", summary.Mean.Select(m => m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        table.AddRow("std (train)", string.Join(", ", summary.Std.Select(m => m.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))));
        table.AddRow("load time", $"{summary.LoadSeconds:F2} s");
        AnsiConsole.Write(table);
        var classes = new Table().AddColumns("label", "class", "train", "test");
        for (int i = 0; i < summary.Classes.Count; i++)
        {
            classes.AddRow(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(summary.Classes[i]),
                summary.TrainPerClass[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                summary.TestPerClass[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(classes);
        return 0;
    }
}
