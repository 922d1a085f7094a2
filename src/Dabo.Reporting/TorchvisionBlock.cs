using System.Globalization;
using System.Text;
using Dabo.Augmentation.Policies;
using Dabo.Training;
using Dabo.Training.Runs;
using static Dabo.Reporting.ReportFormat;

namespace Dabo.Reporting;

/// <summary>
/// Beside a learned method's charts: what its first run ended with, to take away. For learned ranges
/// (<c>policy.json</c> in <see cref="RangesFile.Format"/>) a table of each parameter's range; for either
/// kind the equivalent <c>torchvision.transforms.v2</c> text (<see cref="TorchvisionText"/>) in a
/// <c>&lt;pre&gt;</c> block. Nothing when the run has no <c>policy.json</c> (unfinished, or older).
/// </summary>
internal static class TorchvisionBlock
{
    /// <summary>Appends the block for <paramref name="run"/>.</summary>
    public static void Append(StringBuilder html, RunDirectory run)
    {
        if (!File.Exists(run.PolicyFile))
        {
            return;
        }
        string text;
        try
        {
            if (RangesFile.FormatOf(run.PolicyFile) == RangesFile.Format)
            {
                RangesTable(html, RangesFile.Read(run.PolicyFile));
            }
            text = TorchvisionText.ForFile(run.PolicyFile);
        }
        catch (DaboException e)
        {
            html.Append(Invariant($"<p class=\"note\">The run's policy file could not be read: {Html(e.Message)}</p>\n"));
            return;
        }
        html.Append(Invariant($"""
            <p class="note">The same augmentation in PyTorch (<code>torchvision.transforms.v2</code>), also in <code>{Html(run.File(TorchvisionText.FileName))}</code>; <code>--augment policy:{Html(run.PolicyFile)}</code> reuses it in Dabo.</p>
            <pre class="torchvision">{Html(text)}</pre>

            """));
    }

    private static void RangesTable(StringBuilder html, Augmentation.Learned.LearnedRanges ranges)
    {
        html.Append("<table class=\"policy ranges\">\n<tr><th>parameter</th><th class=\"unit\">unit</th><th>min</th><th>max</th><th>identity</th><th>maximal range</th></tr>\n");
        foreach (var r in ranges.Parameters)
        {
            html.Append(Invariant($"<tr><td class=\"operation\">{Html(r.Name)}</td><td class=\"unit\">{Html(r.Unit)}</td><td>{Number(r.Min)}</td><td>{Number(r.Max)}</td><td>{Number(r.Identity)}</td><td>± {Number(r.MaxRange)}</td></tr>\n"));
        }
        string how = ranges.Estimated
            ? Invariant($"estimated: the central {100 * (ranges.Coverage ?? 0.95):0.#} % of the augmenter's draws of each parameter")
            : "each parameter uniform in its range";
        html.Append(Invariant($"</table>\n<p class=\"note\">Learned ranges after the last epoch of the first seed's run ({how}), applied to {Percent(ranges.ApplyProbability)} % of the images.</p>\n"));
    }

    private static string Number(double value) =>
        value.ToString(Math.Abs(value) >= 10 ? "F1" : Math.Abs(value) >= 1 ? "F3" : "F4", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
