using System.Text;
using Dabo.Experiments.Benchmarks.Suite;
using Dabo.IO;
using static Dabo.Reporting.ReportFormat;

namespace Dabo.Reporting;

/// <summary>
/// The suite's <c>report.html</c>: the command, the protocol, and per column (user protocol, 800/200) the
/// table of <c>results.md</c> and a chart of each method's paired difference against the best fixed method of
/// every cell with its 95 % interval. Self-contained (the chart is embedded) and written atomically.
/// </summary>
public static class SuiteHtmlReport
{
    /// <summary>Writes <c>report.html</c> into <paramref name="outputDirectory"/>.</summary>
    public static void Write(SuiteResults results, SuitePlan plan, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(plan);
        var images = new ImageWriter(outputDirectory);
        var html = new StringBuilder();
        html.Append(FormattableString.Invariant($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Dabo benchmark suite</title>
            <style>{HtmlReport.Css}</style>
            </head>
            <body>
            <h1>Dabo benchmark suite</h1>
            <p class="meta">{Html(results.Date)} · {Integer(results.RunsFinished)} of {Integer(results.RunsPlanned)} runs finished · {Duration(results.WallSeconds)} of run wall time</p>
            <h2>Command</h2>
            <pre>{Html(results.Command)}</pre>
            <p class="note">{Html(SuiteReport.Protocol(plan).Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal))}</p>

            """));
        foreach (var protocol in new[] { SuiteProtocol.User, SuiteProtocol.Split })
        {
            var cells = results.Cells.Where(c => c.Protocol == protocol).ToList();
            string name = protocol == SuiteProtocol.User ? "User protocol" : "800/200 protocol";
            html.Append(FormattableString.Invariant($"<h2>{name}</h2>\n"));
            Table(html, results, cells, protocol);
            var series = results.Methods.Select((method, i) => (method, i, (IReadOnlyList<(double, double?, double?)>)[.. cells.Select(c =>
            {
                var m = c.Methods.First(x => x.Method == method);
                return m.Method == c.BestFixed && m.Mean is not null ? (0.0, (double?)null, (double?)null)
                    : m.VsBestFixed is { } d ? (100 * d.Mean, 100 * d.Low, 100 * d.High) : (double.NaN, null, null);
            })])).ToList();
            byte[] png = ReportCharts.GroupedBars($"{name}: paired difference against the best fixed method", "points (95 % interval)", [.. cells.Select(c => c.Name)], series);
            html.Append(FormattableString.Invariant($"<figure><img {images.Attributes($"suite-{protocol.ToString().ToLowerInvariant()}.png", png)} alt=\"{Html(name)} chart\"><figcaption>Each method's mean test accuracy minus that of the cell's best fixed method (none, trivialaugment or randaugment; 0 for itself), same seeds, with its 95 % t-interval over seeds. Below zero: a user who picked this method lost that much against the best fixed choice.</figcaption></figure>\n"));
        }
        LabelGains(html, results);
        html.Append("</body>\n</html>\n");
        OutputPaths.CreateDirectory("--out", outputDirectory);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, HtmlReport.PageFile), html.ToString());
    }

    private static void LabelGains(StringBuilder html, SuiteResults results)
    {
        var rows = SuiteReport.LabelGainRows(results);
        if (rows.Count == 0)
        {
            return;
        }
        html.Append(FormattableString.Invariant($"<h2>{Html(SuiteReport.LabelGainTitle)}</h2>\n<table class=\"results\">\n<tr><th>method</th>"));
        html.Append(string.Concat(results.Cells.Where(c => c.Protocol == SuiteProtocol.User).Select(c => $"<th>{Html(c.Name)}</th>"))).Append("<th>mean</th></tr>\n");
        foreach (var (method, cells, mean) in rows)
        {
            html.Append(FormattableString.Invariant($"<tr><td class=\"method\">{Html(method)}</td>"));
            html.Append(string.Concat(cells.Append(mean).Select(c => $"<td>{Html(c)}</td>"))).Append("</tr>\n");
        }
        html.Append(FormattableString.Invariant($"</table>\n<p class=\"note\">{Html(SuiteReport.LabelGainNote(results))}</p>\n"));
    }

    private static void Table(StringBuilder html, SuiteResults results, List<SuiteCell> cells, SuiteProtocol protocol)
    {
        html.Append("<table class=\"results\">\n<tr><th>method</th>");
        foreach (var c in cells)
        {
            html.Append(FormattableString.Invariant($"<th>{Html(c.Name)}{(c.Complete ? "" : " (incomplete)")}</th>"));
        }
        html.Append("<th>mean accuracy (%)</th><th>mean regret (pp)</th><th>worst regret (pp)</th><th>compute</th></tr>\n");
        int full = SuiteReport.SummarizedCells(results, protocol);
        for (int i = 0; i < results.Methods.Count; i++)
        {
            string method = results.Methods[i];
            html.Append(FormattableString.Invariant($"<tr><td class=\"method\"><span class=\"swatch\" style=\"background:{ReportCharts.CssColor(i)}\"></span>{Html(method)}</td>"));
            foreach (var c in cells)
            {
                var m = c.Methods.First(x => x.Method == method);
                string text = m.Mean is not double mean ? "–"
                    : PercentMeanStd(mean, m.Std ?? double.NaN, m.Runs.Count)
                      + (m.Choice is { } choice ? $" ({Html(choice)})" : "")
                      + (method == c.BestFixed ? "<br><strong>ref</strong>" : m.VsBestFixed is { } d ? "<br>Δ " + Html(SuiteReport.Difference(d)) : "");
                html.Append($"<td>{text}</td>");
            }
            var s = results.Summaries.First(x => x.Method == method && x.Protocol == protocol);
            string Optional(double? v) => v is double x ? (x * 100).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "–";
            string scope = s.Cells > 0 && s.Cells < full ? FormattableString.Invariant($" ({s.Cells} of {full} cells)") : "";
            html.Append(FormattableString.Invariant($"<td>{Optional(s.MeanAccuracy)}{scope}</td><td>{Optional(s.MeanRegret)}</td><td>{Optional(s.WorstRegret)}</td><td>{Duration(s.WallSecondsTotal)}</td></tr>\n"));
        }
        html.Append(FormattableString.Invariant($"</table>\n<p class=\"note\">Test accuracy %, mean ± std over seeds; Δ: paired difference against the cell's best fixed method (ref), points, 95 % t-interval over seeds. Regret = max(0, best fixed − method). {Html(SuiteReport.SummaryScope(results, protocol))} Compute: wall time of the method's runs in this column, the grid's selection included.</p>\n"));
    }
}
