using System.Net;
using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.Reporting;

namespace Dabo.Tests.Experiments;

/// <summary>The report shows a learned run's policy.json as a ranges table and as torchvision text.</summary>
public class TorchvisionReportTests
{
    [Fact]
    public void Learned_ranges_get_a_table_and_the_torchvision_text_beside_their_charts()
    {
        using var temp = new TempDirectory();
        var results = SyntheticComparison.Create(temp.Combine("runs"));
        string run = results.Methods.Single(m => m.Method == "learned-affine").RunDirectories[0];
        var ranges = new LearnedRanges("learned-affine", AugmenterParametrization.Ranges, 1, 0.5, PaddingMode.Zeros, false, null, null,
        [
            new("rotate", "deg", 0, -12.3, 8.1, 30),
            new("translate-x", "fraction", 0, -0.05, 0.07, 0.25),
        ]);
        RangesFile.Write(ranges, Path.Combine(run, "policy.json"));
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        int charts = html.IndexOf("<h2>Learned augmentation parameters</h2>", StringComparison.Ordinal);
        int pre = html.IndexOf("<pre class=\"torchvision\">", StringComparison.Ordinal);
        Assert.True(charts >= 0 && pre > charts, "the text follows the learned parameters' charts");
        string text = WebUtility.HtmlDecode(html[(pre + "<pre class=\"torchvision\">".Length)..html.IndexOf("</pre>", pre, StringComparison.Ordinal)]);
        Assert.Equal(TorchvisionText.ForFile(Path.Combine(run, "policy.json")), text);
        Assert.Contains("degrees=(-12.3, 8.1)", text);
        Assert.Contains("<td class=\"operation\">rotate</td><td class=\"unit\">deg</td><td>-12.3</td><td>8.100</td>", html);
        Assert.Contains("policy:" + Path.Combine(run, "policy.json"), html);
    }

    [Fact]
    public void A_learned_policy_gets_its_torchvision_text_after_its_table()
    {
        using var temp = new TempDirectory();
        var results = SyntheticPolicyRuns.Create(temp.Combine("runs"));
        string run = results.Methods.Single(m => m.Method == SyntheticPolicyRuns.Method).RunDirectories[0];
        using (var policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(1), 2))
        {
            PolicyFile.Write(policy, Path.Combine(run, "policy.json"), 1);
        }
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        int table = html.IndexOf("<table class=\"policy\">", StringComparison.Ordinal);
        int pre = html.IndexOf("<pre class=\"torchvision\">", StringComparison.Ordinal);
        Assert.True(table >= 0 && pre > table);
        Assert.Contains("no weighted TrivialAugment", html);
        Assert.Contains("v2.TrivialAugmentWide(num_magnitude_bins=31)", html);
    }

    [Fact]
    public void A_damaged_policy_file_is_a_note_not_a_crash()
    {
        using var temp = new TempDirectory();
        var results = SyntheticComparison.Create(temp.Combine("runs"));
        string run = results.Methods.Single(m => m.Method == "learned-affine").RunDirectories[0];
        File.WriteAllText(Path.Combine(run, "policy.json"), "{ \"format\": \"dabo-ranges-v1\" }");
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("could not be read", html);
        Assert.DoesNotContain("<pre class=\"torchvision\">", html);
    }
}
