using System.Reflection;
using Dabo.Cli.Commands;
using Dabo.Training;
using Spectre.Console.Cli;

namespace Dabo.Cli;

/// <summary>
/// The accepted range of every numeric flag of every command, checked on the raw arguments before
/// Spectre parses them: Spectre's own conversion errors ("Failed to convert 'abc' to Nullable`1")
/// name neither the flag nor what it accepts, and values such as <c>nan</c> or <c>1e308</c> would
/// otherwise reach libtorch. Training flags take their ranges from <see cref="TrainingConfig.Ranges"/>.
/// </summary>
public static class FlagRanges
{
    /// <summary>Ranges of the flags that only the command line has.</summary>
    public static IReadOnlyList<NumericRange> CliOnly { get; } =
    [
        NumericRange.Whole("--threads", 0, 1_000_000, $"0 for all cores; more than the {Environment.ProcessorCount} cores are capped"),
        NumericRange.Whole("--seeds", 1, 1000, "e.g. 3"),
        NumericRange.Whole("--jobs", 1, 64, "e.g. 2"),
        NumericRange.Whole("--slurm-tasks", 1, 100_000, "e.g. 8: one task per run"),
        NumericRange.Whole("--slurm-cpus", 1, 1024, "e.g. 2"),
        NumericRange.Whole("--batch", 2, 65_536, "e.g. 128"),
        NumericRange.Whole("--steps", 1, 1_000_000, "e.g. 20"),
        NumericRange.Whole("--large-steps", 1, 1_000_000, "e.g. 5"),
        NumericRange.Whole("--warmup", 0, 1_000_000, "e.g. 3"),
        NumericRange.Whole("--soak-steps", 0, 100_000_000, "0 skips the soak"),
        NumericRange.Whole("--tta", 1, 1000, "e.g. 8"),
        NumericRange.Whole("--images", 1, 4096, "e.g. 32"),
    ];

    /// <summary>The settings class of each command, by its words on the command line.</summary>
    public static IReadOnlyDictionary<string, Type> Commands { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["train"] = typeof(TrainCommand.Settings),
        ["compare"] = typeof(CompareCommand.Settings),
        ["grid-search"] = typeof(GridSearchCommand.Settings),
        ["bench accuracy"] = typeof(BenchAccuracyCommand.Settings),
        ["bench speed"] = typeof(BenchSpeedCommand.Settings),
        ["data"] = typeof(DataCommand.Settings),
        ["eval"] = typeof(EvalCommand.Settings),
        ["preview"] = typeof(PreviewCommand.Settings),
        ["demo"] = typeof(DemoCommand.Settings),
        ["predict"] = typeof(PredictCommand.Settings),
    };

    /// <summary>The range of a long flag name (with dashes), or null when it has none.</summary>
    public static NumericRange? Find(string flag) =>
        TrainingConfig.Ranges.FirstOrDefault(r => r.Flag == flag) ?? CliOnly.FirstOrDefault(r => r.Flag == flag);

    /// <summary>The numeric options of a settings class, as (every spelling, long flag).</summary>
    public static IEnumerable<(IReadOnlyList<string> Names, string Flag)> NumericOptions(Type settings) =>
        settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => IsNumeric(p.PropertyType))
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .OfType<CommandOptionAttribute>()
            .Select(o => ((IReadOnlyList<string>)[.. o.LongNames.Select(n => "--" + n), .. o.ShortNames.Select(n => "-" + n)], "--" + o.LongNames[0]));

    /// <summary>
    /// Checks every numeric flag in <paramref name="args"/> against its range; returns warnings about
    /// values that are accepted but changed (a <c>--threads</c> above the number of cores).
    /// </summary>
    /// <exception cref="DaboException">Naming the flag, the value and the accepted range.</exception>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> args)
    {
        var warnings = new List<string>();
        if (args.Any(a => a is "-h" or "--help" or "-?"))
        {
            return warnings;
        }
        var settings = args.Count >= 2 && Commands.TryGetValue($"{args[0]} {args[1]}", out var nested) ? nested
            : args.Count >= 1 && Commands.TryGetValue(args[0], out var top) ? top
            : null;
        if (settings is null)
        {
            return warnings;
        }
        var flags = new Dictionary<string, NumericRange>(StringComparer.Ordinal);
        foreach (var (names, flag) in NumericOptions(settings))
        {
            var range = Find(flag) ?? throw new InvalidOperationException($"{flag} has no range in FlagRanges");
            foreach (var name in names)
            {
                flags[name] = range;
            }
        }
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (token == "--")
            {
                break;
            }
            int split = token.StartsWith('-') ? token.IndexOfAny(['=', ':']) : -1;
            string name = split > 0 ? token[..split] : token;
            if (!flags.TryGetValue(name, out var r))
            {
                continue;
            }
            string? value = split > 0 ? token[(split + 1)..] : i + 1 < args.Count ? args[++i] : null;
            if (value is not null)
            {
                double v = r.CheckText(value);
                if (r.Flag == "--threads" && v > Environment.ProcessorCount)
                {
                    warnings.Add($"{r.Flag} {value}: more than the {Environment.ProcessorCount} cores of this machine; using {Environment.ProcessorCount}");
                }
            }
        }
        return warnings;
    }

    private static bool IsNumeric(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(float);
    }
}
