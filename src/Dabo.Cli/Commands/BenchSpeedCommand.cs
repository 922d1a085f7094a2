using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Dabo.Experiments.Benchmarks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo bench speed</c>: step times of plain and bilevel training, memory, data path.</summary>
public sealed class BenchSpeedCommand : Command<BenchSpeedCommand.Settings>
{
    private static readonly JsonSerializerOptions JsonLine = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "batch+none", not "batch\u002Bnone"
    };

    /// <summary>Options of <c>dabo bench speed</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Model(s).</summary>
        [CommandOption("-m|--model <NAME>")]
        [Description("small-cnn, resnet18 or all (default: all = small-cnn and resnet18); any registered model name works.")]
        public string Model { get; init; } = "all";

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Images per batch (default 128).")]
        public int Batch { get; init; } = 128;

        /// <summary>Timed steps.</summary>
        [CommandOption("--steps <N>")]
        [Description("Timed steps per mode after warm-up; the median is reported (default 20).")]
        public int Steps { get; init; } = 20;

        /// <summary>Timed steps of the larger models.</summary>
        [CommandOption("--large-steps <N>")]
        [Description("At most this many timed steps for models other than small-cnn, e.g. resnet18 (default 5).")]
        public int LargeSteps { get; init; } = 5;

        /// <summary>Warm-up steps.</summary>
        [CommandOption("--warmup <N>")]
        [Description("Untimed steps per mode before timing (default 3).")]
        public int Warmup { get; init; } = 3;

        /// <summary>Soak steps.</summary>
        [CommandOption("--soak-steps <N>")]
        [Description("Bilevel steps (small-cnn, K=1 exact) over which RSS growth is measured; 0 skips (default 1000).")]
        public int SoakSteps { get; init; } = 1000;

        /// <summary>Image size.</summary>
        [CommandOption("--image-size <N>")]
        [Description("Side of the synthetic square images (default 32).")]
        public int ImageSize { get; init; } = 32;

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>")]
        [Description("CPU threads (default: all cores).")]
        public int? Threads { get; init; }

        /// <summary>Skip the data path.</summary>
        [CommandOption("--no-data-path")]
        [Description("Do not time batch assembly and the augmenter forward.")]
        public bool NoDataPath { get; init; }

        /// <summary>Phase times.</summary>
        [CommandOption("--profile")]
        [Description("Also report the mean time of each phase of each step (augment, forward, backward, …).")]
        public bool Profile { get; init; }

        /// <summary>Look-ahead lengths.</summary>
        [CommandOption("--inner-steps <LIST>")]
        [Description("Also time the exact bilevel step and its peak RSS for each K in this comma-separated list, e.g. 1,2,4,8 (default: none).")]
        public string? InnerSteps { get; init; }

        /// <summary>JSON lines.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object per model (JSON lines) instead of tables.")]
        public bool Json { get; init; }

        /// <summary>Library options from the flags.</summary>
        public SpeedBenchmarkOptions ToOptions()
        {
            var model = Model.Trim();
            IReadOnlyList<string> models = string.Equals(model, "all", StringComparison.OrdinalIgnoreCase)
                ? SpeedBenchmarkOptions.DefaultModels
                : model.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var options = new SpeedBenchmarkOptions
            {
                Models = models,
                BatchSize = Batch,
                Steps = Steps,
                LargeModelSteps = LargeSteps,
                WarmupSteps = Warmup,
                SoakSteps = SoakSteps,
                ImageSize = ImageSize,
                Threads = Threads,
                DataPath = !NoDataPath,
                Profile = Profile,
                InnerSteps = ParseInnerSteps(InnerSteps),
            };
            options.Validate();
            return options;
        }
    }

    private static IReadOnlyList<int> ParseInnerSteps(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return [];
        }
        var values = new List<int>();
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int k))
            {
                throw new DaboException($"--inner-steps {list}: '{part}' is not a whole number; write e.g. 1,2,4,8");
            }
            values.Add(k);
        }
        return values;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var benchmark = new SpeedBenchmark(settings.ToOptions());
        if (settings.Json)
        {
            // One line per model as soon as it is measured (a resnet18 run takes minutes).
            benchmark.Run(cancellationToken: cancellationToken, completed: result => Console.WriteLine(JsonSerializer.Serialize(result, JsonLine)));
            return 0;
        }
        IReadOnlyList<ModelSpeed> results = [];
        AnsiConsole.Status().Start("benchmark", status =>
        {
            results = benchmark.Run(new Progress(status), cancellationToken);
        });
        Write(results);
        return 0;
    }

    private static void Write(IReadOnlyList<ModelSpeed> results)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title("median ms per training batch; ratios = bilevel / plain, same run").AddColumn("");
        foreach (var r in results)
        {
            table.AddColumn(new TableColumn(Markup.Escape(r.Model)).RightAligned());
        }
        void Row(string label, Func<ModelSpeed, string> cell) => table.AddRow([label, .. results.Select(cell)]);
        Row("batch × timed steps", r => string.Create(c, $"{r.Batch} × {r.Steps}"));
        Row("plain", r => r.PlainMs.ToString("F1", c));
        Row("bilevel K=1 exact", r => r.BilevelK1ExactMs.ToString("F1", c));
        Row("bilevel K=1 fd", r => r.BilevelK1FdMs.ToString("F1", c));
        Row("bilevel K=2 exact", r => r.BilevelK2ExactMs.ToString("F1", c));
        Row("ratio K=1 exact", r => r.RatioK1Exact.ToString("F2", c) + "×");
        Row("ratio K=1 fd", r => r.RatioK1Fd.ToString("F2", c) + "×");
        Row("ratio K=2 exact", r => r.RatioK2Exact.ToString("F2", c) + "×");
        Row("learned-policy step", r => r.LearnedPolicySampleMs.ToString("F1", c));
        Row("… with policy update", r => r.LearnedPolicyUpdateMs.ToString("F1", c));
        Row("ratio learned-policy", r => r.RatioLearnedPolicy.ToString("F2", c) + $"× (update every {r.LearnedPolicyUpdateEvery})");
        Row("images/s plain", r => r.ImagesPerSecondPlain.ToString("F0", c));
        Row("peak RSS (MiB)", r => r.PeakRssMb?.ToString("F0", c) ?? "-");
        Row("RSS growth (soak)", r => r.RssGrowthPercent is double g ? string.Create(c, $"{g:+0.0;-0.0}% / {r.SoakSteps} steps") : "-");
        Row("threads", r => r.Threads.ToString(c));
        AnsiConsole.Write(table);

        foreach (var r in results.Where(r => r.InnerSteps is { Count: > 0 }))
        {
            var t = new Table().Title($"{r.Model}: exact bilevel step by look-ahead length K").AddColumns("K", "ms per step", "× plain", "peak RSS (MiB)", "over plain (MiB)");
            foreach (var k in r.InnerSteps!)
            {
                t.AddRow(k.InnerSteps.ToString(c), k.MillisecondsPerStep.ToString("F1", c), k.RatioToPlain.ToString("F2", c) + "×",
                    k.PeakRssMb?.ToString("F0", c) ?? "-", k.PeakRssOverPlainMb?.ToString("+0;-0", c) ?? "-");
            }
            AnsiConsole.Write(t);
        }

        var first = results.FirstOrDefault(r => r.DataPath is { Count: > 0 });
        if (first is not null)
        {
            var data = new Table().Title($"data path (batch {first.Batch}; share of the plain {first.Model} step)")
                .AddColumns("stage", "ms/batch", "images/s", "share");
            foreach (var d in first.DataPath!)
            {
                data.AddRow(Markup.Escape(d.Name), d.MillisecondsPerBatch.ToString("F2", c), d.ImagesPerSecond.ToString("F0", c),
                    d.ShareOfPlainStep is double s ? (100 * s).ToString("F1", c) + "%" : "-");
            }
            AnsiConsole.Write(data);
        }

        foreach (var r in results.Where(r => r.Phases is not null))
        {
            foreach (var (mode, phases) in r.Phases!)
            {
                var t = new Table().Title($"{r.Model} {mode}: mean ms per step by phase").AddColumns("phase", "ms");
                foreach (var p in phases)
                {
                    t.AddRow(Markup.Escape(p.Phase), p.Milliseconds.ToString("F1", c));
                }
                t.AddRow("[bold]sum[/]", phases.Sum(p => p.Milliseconds).ToString("F1", c));
                AnsiConsole.Write(t);
            }
        }
    }

    private sealed class Progress(StatusContext status) : IProgress<string>
    {
        public void Report(string value) => status.Status(Markup.Escape(value));
    }
}
