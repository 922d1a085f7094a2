using System.Globalization;
using System.Text;
using static Dabo.Reporting.ReportFormat;

namespace Dabo.Reporting;

/// <summary>
/// The report's "Learned policies" section, for methods whose runs record a <c>policy</c> in their
/// metrics (<c>learned-policy</c>): per slot, each operation's probability over epochs against the
/// uniform prior; KL to the prior and entropy over epochs; and the final policy as a table.
/// </summary>
internal static class PolicySection
{
    /// <summary>Appends the section to <paramref name="html"/> (nothing when no method learned a policy).</summary>
    public static void Append(StringBuilder html, IReadOnlyList<MethodRuns> methods, ImageWriter images)
    {
        var learned = methods.Select((m, i) => (Method: m, Index: i, Runs: m.PolicyRuns())).Where(x => x.Runs.Count > 0).ToList();
        if (learned.Count == 0)
        {
            return;
        }
        html.Append(Invariant($"""
            <h2>Learned policies</h2>
            <p class="note">Per slot, the probability of each operation over epochs; the dashed line is the uniform prior 1/K (K operations per slot). KL divergence to the prior and entropy of the operation choice are in nats, summed over slots. Charts from the first seed's run; the table is the policy after the last epoch. Below a third of the prior an operation is <span class="suppressed">suppressed ↓</span>, above twice the prior <span class="favoured">favoured ↑</span>.</p>

            """));
        foreach (var (method, index, runs) in learned)
        {
            var (run, history) = runs[0];
            string name = method.Result.Method;
            html.Append(Invariant($"<h3>{Html(name)}</h3>\n<p class=\"note\">Run <code>{Html(run.Path)}</code>.</p>\n<div class=\"params\">\n"));
            for (int s = 0; s < history.Slots.Count; s++)
            {
                string title = Invariant($"{name}: slot {s + 1}, operation probabilities");
                string src = images.Attributes(Invariant($"policy-{index}-{s}.png"), ReportCharts.PolicyProbabilities(title, history.Slots[s], history.Prior(s)));
                html.Append(Invariant($"""<img {src} width="{ReportCharts.Width}" height="{ReportCharts.Height}" alt="{Html(title)}">""")).Append('\n');
            }
            string klTitle = $"{name}: KL to the prior and entropy";
            string klSrc = images.Attributes(Invariant($"policy-{index}-kl.png"), ReportCharts.PolicyDivergence(klTitle, history.Kl, history.Entropy, history.PriorEntropy));
            html.Append(Invariant($"""<img {klSrc} width="{ReportCharts.Width}" height="{ReportCharts.Height}" alt="{Html(klTitle)}">""")).Append('\n');
            html.Append("</div>\n");
            Table(html, runs.Select(r => r.History.Final).ToList(), history.Final.Signal);
            TorchvisionBlock.Append(html, run);
        }
    }

    private static void Table(StringBuilder html, IReadOnlyList<Training.Policy.PolicyStatistics> finals, IReadOnlyDictionary<string, double>? signal)
    {
        var rows = PolicyTable.Rows(finals, signal);
        if (rows.Count == 0)
        {
            return;
        }
        int slots = rows[0].Slots.Count;
        string seeds = finals.Count == 1 ? "one run" : Invariant($"mean over {finals.Count} seeds' runs");
        html.Append("<table class=\"policy\">\n<tr><th rowspan=\"2\">operation</th><th rowspan=\"2\" class=\"unit\">magnitude unit</th>");
        for (int s = 0; s < slots; s++)
        {
            html.Append(Invariant($"<th colspan=\"3\" class=\"slot\">slot {s + 1}</th>"));
        }
        html.Append("<th rowspan=\"2\">signal t</th></tr>\n<tr>");
        for (int s = 0; s < slots; s++)
        {
            html.Append("<th class=\"slot\">probability (%)</th><th>× prior</th><th>mean magnitude</th>");
        }
        html.Append("</tr>\n");
        foreach (var row in rows)
        {
            html.Append(Invariant($"<tr><td class=\"operation\">{Html(row.Operation)}</td><td class=\"unit\">{Html(row.Unit)}</td>"));
            foreach (var cell in row.Slots)
            {
                var (state, glyph, tip) = cell.IsSuppressed ? ("suppressed", " ↓", "suppressed: below a third of the prior")
                    : cell.IsFavoured ? ("favoured", " ↑", "favoured: above twice the prior")
                    : ("", "", "");
                string marked = state.Length > 0 ? $" class=\"{state}\" title=\"{tip}\"" : "";
                string slotMarked = state.Length > 0 ? $" class=\"slot {state}\" title=\"{tip}\"" : " class=\"slot\"";
                string probability = cell.Probability is double p ? (100 * p).ToString("F1", CultureInfo.InvariantCulture) : "–";
                string ratio = cell.Ratio is double r ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" + glyph : "–";
                string magnitude = cell.MeanMagnitude is double m ? Magnitude(m) : "–";
                html.Append(Invariant($"<td{slotMarked}>{probability}</td><td{marked}>{ratio}</td><td>{magnitude}</td>"));
            }
            string t = row.Signal is double v ? v.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) : "–";
            html.Append(Invariant($"<td>{t}</td></tr>\n"));
        }
        html.Append(Invariant($"""
            </table>
            <p class="note">Final policy ({seeds}), sorted by the probability in slot 1. × prior: the probability divided by the slot's uniform prior 1/K. Mean magnitude: the expected unsigned magnitude in the operation's unit (– for operations without one). Signal t: the t statistic of the operation's mean advantage in the last epoch of the first seed's run (|t| well above 2 is signal, around 1 is noise).</p>

            """));
    }

    /// <summary>Three significant digits or so: <c>68.1</c>, <c>5.02</c>, <c>0.496</c>.</summary>
    private static string Magnitude(double value) =>
        value.ToString(Math.Abs(value) >= 10 ? "F1" : Math.Abs(value) >= 1 ? "F2" : "F3", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
