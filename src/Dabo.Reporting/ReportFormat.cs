using System.Globalization;
using System.Net;
using Dabo.Experiments;

namespace Dabo.Reporting;

/// <summary>How the report writes numbers and text.</summary>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>HTML-escapes text from the inputs (element content and quoted attributes).</summary>
    public static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A fraction as a percentage with 2 decimals: 0.91234 → <c>91.23</c>.</summary>
    public static string Percent(double fraction) => ResultsFiles.Percent(fraction);

    /// <summary>Mean ± std of fractions, in %: <c>91.23 ± 0.45</c>, or <c>91.23 ± n/a</c> for one seed.</summary>
    public static string PercentMeanStd(double mean, double std, int seeds) => ResultsFiles.PercentMeanStd(mean, std, seeds);

    /// <summary>A difference of fractions in signed percentage points: <c>+1.20</c>, <c>-0.35</c>, <c>0.00</c>.</summary>
    public static string PercentagePoints(double difference) =>
        (100 * difference).ToString("+0.00;-0.00;0.00", Invariant);

    /// <summary>Wall time: <c>42.0 s</c>, <c>12 min 05 s</c>, <c>3 h 07 min</c>.</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
        {
            return "–";
        }
        if (Math.Round(seconds, 1) < 60)
        {
            return seconds.ToString("F1", Invariant) + " s";
        }
        long s = (long)Math.Round(seconds);
        return s < 3600
            ? string.Create(Invariant, $"{s / 60} min {s % 60:D2} s")
            : string.Create(Invariant, $"{s / 3600} h {s % 3600 / 60:D2} min");
    }

    /// <summary>An integer with the invariant culture.</summary>
    public static string Integer(int value) => value.ToString(Invariant);
}
