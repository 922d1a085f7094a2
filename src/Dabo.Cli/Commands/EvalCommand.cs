using System.ComponentModel;
using System.Globalization;
using Dabo.Experiments;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo eval</c>: accuracy, per-class accuracy and confusion matrix of a saved classifier.</summary>
public sealed class EvalCommand : Command<EvalCommand.Settings>
{
    /// <summary>Options of <c>dabo eval</c>.</summary>
    public sealed class Settings : CommandSettings, ICacheDirectorySettings
    {
        /// <summary>Run directory.</summary>
        [CommandOption("--run <DIR>")]
        [Description("A finished Dabo run. Required.")]
        public string? Run { get; init; }

        /// <summary>Dataset override.</summary>
        [CommandOption("-d|--dataset <PATH>")]
        [Description("Evaluate on this dataset's test split instead of the run's (same channels and classes).")]
        public string? Dataset { get; init; }

        /// <summary>TTA copies.</summary>
        [CommandOption("--tta <N>")]
        [Description("Test-time augmentation: average predictions over N copies augmented as in training (default 1: none).")]
        public int Tta { get; init; } = 1;

        /// <summary>Best model.</summary>
        [CommandOption("--best")]
        [Description("Evaluate the best-validation checkpoint instead of the final model.")]
        public bool Best { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object.")]
        public bool Json { get; init; }

        /// <summary>Cache directory.</summary>
        [CommandOption("--cache-dir <DIR>")]
        [Description("Decoded-image cache directory.")]
        public string? CacheDir { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var runDir = settings.Run ?? throw new DaboException("--run: required; pass a directory written by 'dabo train'");
        var result = RunEvaluation.Evaluate(runDir, settings.Dataset, settings.Tta, settings.Best, settings.CacheDir);
        var e = result.Evaluation;
        var perClass = e.PerClassAccuracy();
        int k = result.ClassNames.Count;
        if (settings.Json)
        {
            var confusion = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => e.Confusion[i, j]).ToArray()).ToArray();
            Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                dataset = result.Dataset,
                model_file = result.ModelFile,
                tta = result.TtaCopies,
                accuracy = e.Accuracy,
                loss = e.Loss,
                classes = result.ClassNames,
                per_class_accuracy = perClass,
                confusion,
            }));
            return 0;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.ModelFile} on {result.Dataset} (test split{(result.TtaCopies > 1 ? $", TTA ×{result.TtaCopies}" : "")}): accuracy {e.Accuracy * 100:F2} %, loss {e.Loss:F4}"));
        var table = new Table().AddColumn("true \\ predicted");
        for (int j = 0; j < k; j++)
        {
            table.AddColumn(new TableColumn(j.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }
        table.AddColumn(new TableColumn("accuracy %").RightAligned());
        for (int i = 0; i < k; i++)
        {
            var cells = new List<string> { Markup.Escape($"{i} {result.ClassNames[i]}") };
            cells.AddRange(Enumerable.Range(0, k).Select(j => i == j ? $"[bold]{e.Confusion[i, j]}[/]" : e.Confusion[i, j].ToString(CultureInfo.InvariantCulture)));
            cells.Add((perClass[i] * 100).ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        return 0;
    }
}
