using Dabo.Experiments;

namespace Dabo.Cli;

/// <summary>Writes the HTML report of a comparison (kept apart so commands share it).</summary>
public static class ReportWriter
{
    /// <summary>Writes <c>report.html</c> into <paramref name="directory"/>.</summary>
    public static void Write(ComparisonResults results, string directory) =>
        Dabo.Experiments.Reporting.HtmlReport.Write(results, directory);
}
