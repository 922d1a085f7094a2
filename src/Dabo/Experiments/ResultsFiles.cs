using System.Globalization;
using System.Text;
using System.Text.Json;
using Dabo.IO;
using Dabo.Training;

namespace Dabo.Experiments;

/// <summary>Writes <c>results.md</c> and <c>results.json</c> (atomically).</summary>
public static class ResultsFiles
{
    /// <summary>Formats a fraction as a percentage with two decimals.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>
    /// Mean ± sample standard deviation of fractions, in %: <c>91.23 ± 0.45</c>; with fewer than two seeds the
    /// standard deviation is unknown, not zero: <c>91.23 ± n/a</c>.
    /// </summary>
    /// <param name="mean">Mean accuracy (fraction).</param>
    /// <param name="std">Sample standard deviation (fraction).</param>
    /// <param name="seeds">Number of runs behind the mean.</param>
    /// <param name="separator">Text between mean and standard deviation.</param>
    public static string PercentMeanStd(double mean, double std, int seeds, string separator = " ± ") =>
        Percent(mean) + separator + (seeds < 2 ? NotApplicable : Percent(std));

    /// <summary>What a standard deviation of one seed is shown as.</summary>
    public const string NotApplicable = "n/a";

    /// <summary>The results as a Markdown table with the command line above it.</summary>
    public static string Markdown(ComparisonResults results)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Dataset `{results.Dataset}`, model `{results.Model}`, {results.Epochs} epochs, {(results.TrainSize is int n ? $"{n} training images" : "all training images")} ({results.Date}).");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(results.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("| method | seeds | test accuracy % (mean ± std) | val accuracy % | test % at best val | gain over none (pts) | wall s / run | total wall s |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results.Methods)
        {
            string gain = r.GainOverNone is double g ? (g * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–";
            string val = r.ValAccuracyMean is double v ? Percent(v) : "–";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.Seeds} | {PercentMeanStd(r.TestAccuracyMean, r.TestAccuracyStd, r.Seeds)} | {val} | {Percent(r.TestAccuracyAtBestValMean)} | {gain} | {r.WallSecondsMean:F0} | {r.WallSecondsTotal:F0} |");
        }
        return sb.ToString();
    }

    /// <summary>Writes <c>results.md</c> and <c>results.json</c> into <paramref name="directory"/>.</summary>
    public static void Write(ComparisonResults results, string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, "results.md"), Markdown(results));
        AtomicFile.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(results, TrainingConfig.JsonOptions));
    }

    /// <summary>Versions of the software that produced results.</summary>
    public static IReadOnlyDictionary<string, string> Versions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["dabo"] = typeof(ResultsFiles).Assembly.GetName().Version?.ToString() ?? "?",
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?",
        ["libtorch"] = TorchSharp.torch.__version__,
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
    };
}
