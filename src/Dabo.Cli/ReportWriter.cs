using Dabo.Experiments;

namespace Dabo.Cli;

/// <summary>Writes the HTML report of a comparison (kept apart so commands share it).</summary>
public static class ReportWriter
{
    /// <summary>Writes the self-contained <c>report.html</c> into <paramref name="directory"/>.</summary>
    /// <param name="results">A finished comparison.</param>
    /// <param name="directory">Output directory.</param>
    /// <param name="cacheDirectory">Decoded-image cache for evaluating the best method's model (null: the default).</param>
    public static void Write(ComparisonResults results, string directory, string? cacheDirectory = null) =>
        Dabo.Reporting.HtmlReport.Write(results, directory, cacheDirectory);
}
