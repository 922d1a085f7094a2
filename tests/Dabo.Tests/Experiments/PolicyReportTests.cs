using System.Text.RegularExpressions;
using Dabo.Reporting;
using Dabo.Training.Policy;

namespace Dabo.Tests.Experiments;

public partial class PolicyReportTests
{
    [GeneratedRegex("<table class=\"policy\">(.*?)</table>", RegexOptions.Singleline)]
    private static partial Regex PolicyTableHtml();

    [GeneratedRegex("<tr><td class=\"operation\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex OperationRow();

    [GeneratedRegex("<td([^>]*)>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    private static string WriteReport(TempDirectory temp)
    {
        var results = SyntheticPolicyRuns.Create(temp.Combine("runs"));
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        return output;
    }

    /// <summary>The policy table's rows: operation name, then each cell as (attributes, text).</summary>
    private static List<(string Operation, List<(string Attributes, string Text)> Cells)> PolicyRows(string html)
    {
        var table = PolicyTableHtml().Match(html);
        Assert.True(table.Success, "no policy table");
        return [.. OperationRow().Matches(table.Value).Select(m =>
        {
            var cells = Cell().Matches("<td class=\"operation\">" + m.Groups[1].Value).Select(c => (Attributes: c.Groups[1].Value, Text: c.Groups[2].Value)).ToList();
            return (cells[0].Text, cells);
        })];
    }

    [Fact]
    public void Policy_charts_per_slot_and_divergence_chart_are_non_blank_pngs()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        var charts = HtmlReportTests.Images(html).Where(i => i.Name.StartsWith("policy-", StringComparison.Ordinal)).ToList();

        // Method 1 (learned-policy) has 2 slots: one chart each, and one of KL and entropy; none has no policy.
        Assert.Equal(["policy-1-0.png", "policy-1-1.png", "policy-1-kl.png"], charts.Select(c => c.Name));
        Assert.Contains("<h2>Learned policies</h2>", html, StringComparison.Ordinal);
        foreach (var (name, bytes) in charts)
        {
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
            Assert.True(HtmlReportTests.LuminanceStd(bytes) > 10, $"{name} looks blank");
        }
    }

    [Fact]
    public void Policy_table_is_sorted_by_slot_1_and_marks_suppressed_and_favoured_operations()
    {
        using var temp = new TempDirectory();
        string html = File.ReadAllText(Path.Combine(WriteReport(temp), "report.html"));
        var rows = PolicyRows(html);

        Assert.Equal(["identity", "rotate", "equalize", "posterize"], rows.Select(r => r.Operation));
        var posterize = rows.Single(r => r.Operation == "posterize").Cells;
        // operation, unit, slot 1 (probability, × prior, magnitude), slot 2 (…), signal t.
        Assert.Equal(["posterize", "bits", "7.0", "0.28× ↓", "4.00", "30.0", "1.20×", "4.00", "-4.0"], posterize.Select(c => c.Text));
        Assert.Contains("suppressed", posterize[2].Attributes, StringComparison.Ordinal);
        Assert.Contains("suppressed", posterize[3].Attributes, StringComparison.Ordinal);
        Assert.DoesNotContain("suppressed", posterize[6].Attributes, StringComparison.Ordinal);

        // 0.09 is 0.36× the prior: low, but not below a third.
        var equalize = rows.Single(r => r.Operation == "equalize").Cells;
        Assert.Equal(["equalize", "", "9.0", "0.36×", "–"], equalize.Take(5).Select(c => c.Text));
        Assert.DoesNotContain(equalize, c => c.Attributes.Contains("suppressed", StringComparison.Ordinal));

        var identity = rows.Single(r => r.Operation == "identity").Cells;
        Assert.Equal("2.20× ↑", identity[3].Text);
        Assert.Contains("favoured", identity[3].Attributes, StringComparison.Ordinal);
        Assert.Contains("suppressed", identity[6].Attributes, StringComparison.Ordinal); // slot 2: 0.05 = 0.20× the prior
        Assert.Equal("+3.2", identity[^1].Text); // first seed's last-epoch t, not the mean over seeds
    }

    [Fact]
    public void A_one_epoch_run_still_gets_its_policy_charts_and_table()
    {
        using var temp = new TempDirectory();
        string output = temp.Combine("out");
        HtmlReport.Write(SyntheticPolicyRuns.Create(temp.Combine("runs"), epochs: 1), output);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        Assert.Equal(["identity", "rotate", "equalize", "posterize"], PolicyRows(html).Select(r => r.Operation));
        var charts = HtmlReportTests.Images(html).Where(i => i.Name.StartsWith("policy-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["policy-1-0.png", "policy-1-1.png", "policy-1-kl.png"], charts.Select(c => c.Name));
        foreach (var (name, bytes) in charts)
        {
            Assert.True(HtmlReportTests.LuminanceStd(bytes) > 10, name);
        }
    }

    [Fact]
    public void Rewriting_without_the_policy_method_removes_its_charts()
    {
        using var temp = new TempDirectory();
        var results = SyntheticPolicyRuns.Create(temp.Combine("runs"));
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        Assert.Contains(HtmlReportTests.Images(File.ReadAllText(Path.Combine(output, "report.html"))), i => i.Name == "policy-1-kl.png");

        HtmlReport.Write(results with { Methods = [results.Methods[0]] }, output);

        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.DoesNotContain("Learned policies", html, StringComparison.Ordinal);
        Assert.DoesNotContain(HtmlReportTests.Images(html), i => i.Name.StartsWith("policy-", StringComparison.Ordinal));
    }

    [Fact]
    public void History_reads_probabilities_kl_and_entropy_per_epoch()
    {
        using var temp = new TempDirectory();
        var results = SyntheticPolicyRuns.Create(temp.Combine("runs"));
        var runs = MethodRuns.Load(results.Methods[1]).PolicyRuns();
        Assert.Equal(2, runs.Count);
        Assert.Empty(MethodRuns.Load(results.Methods[0]).PolicyRuns());
        var (run, history) = runs[0];
        Assert.EndsWith("policy-seed0", run.Path, StringComparison.Ordinal);

        Assert.Equal(2, history.Slots.Count);
        Assert.Equal(0.25, history.Prior(0));
        Assert.Equal(2 * Math.Log(4), history.PriorEntropy, 12);
        var rotate = history.Slots[0].Single(o => o.Operation == "rotate").Probability;
        Assert.Equal([1.0, 2, 3, 4], rotate.Epochs);
        Assert.Equal(0.29, rotate.Values[^1], 6);
        Assert.Equal(0.25 + (0.25 * (0.29 - 0.25)), rotate.Values[0], 6);
        Assert.Equal(4, history.Kl.Values.Length);
        Assert.True(history.Kl.Values[^1] > history.Kl.Values[0]);
        Assert.True(history.Entropy.Values[^1] < history.Entropy.Values[0]);
    }

    [Fact]
    public void Table_rows_average_over_seeds_and_keep_operations_without_a_magnitude()
    {
        var a = new PolicyStatistics
        {
            Slots = [new PolicySlotStatistics(new Dictionary<string, double> { ["identity"] = 0.5, ["equalize"] = 0.3, ["rotate"] = 0.2 }, new Dictionary<string, double> { ["rotate"] = 10 })],
        };
        var b = a with { Slots = [new PolicySlotStatistics(new Dictionary<string, double> { ["identity"] = 0.1, ["equalize"] = 0.3, ["rotate"] = 0.6 }, new Dictionary<string, double> { ["rotate"] = 20 })] };

        var rows = PolicyTable.Rows([a, b], null);

        Assert.Equal(["rotate", "equalize", "identity"], rows.Select(r => r.Operation));
        Assert.Equal(0.4, rows[0].Slots[0].Probability!.Value, 12);
        Assert.Equal(15, rows[0].Slots[0].MeanMagnitude);
        Assert.Equal("deg", rows[0].Unit);
        Assert.Null(rows[1].Slots[0].MeanMagnitude);
        Assert.Equal(1.0 / 3, rows[0].Slots[0].Prior, 12);
        Assert.Null(rows[0].Signal);
    }
}
