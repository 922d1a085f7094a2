using System.Text.RegularExpressions;
using Dabo.Experiments;
using Dabo.Reporting;
using SkiaSharp;

namespace Dabo.Tests.Experiments;

public partial class HtmlReportTests
{
    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<img src=\"([^\"]+)\" data-image=\"([^\"]+)\"")]
    private static partial Regex EmbeddedImage();

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex Reference();

    /// <summary>The images embedded in the page, by name, decoded from their <c>data:</c> URIs.</summary>
    internal static List<(string Name, byte[] Png)> Images(string html) =>
        [.. EmbeddedImage().Matches(html).Select(m =>
        {
            const string Prefix = "data:image/png;base64,";
            Assert.StartsWith(Prefix, m.Groups[1].Value, StringComparison.Ordinal);
            return (m.Groups[2].Value, Convert.FromBase64String(m.Groups[1].Value[Prefix.Length..]));
        })];

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    private static string[] Cells(string html, string method)
    {
        var rows = Row().Matches(html).Select(m => m.Value).Where(r => r.Contains("class=\"method\"", StringComparison.Ordinal)).ToList();
        var row = rows.Single(r => Tag().Replace(Cell().Match(r).Groups[1].Value, "") == method);
        return [.. Cell().Matches(row).Select(m => Tag().Replace(m.Groups[1].Value, ""))];
    }

    private static string WriteReport(TempDirectory temp, out ComparisonResults results)
    {
        results = SyntheticComparison.Create(temp.Combine("runs"));
        string output = temp.Combine("out");
        HtmlReport.Write(results, output);
        return output;
    }

    [Fact]
    public void Table_has_one_row_per_method_with_formatted_numbers()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out _);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        Assert.Equal(["none", "2", "81.25 ± 1.25", "80.00, 82.50", "80.00", "80.75", "0.00", "42.0 s", "1 min 24 s"], Cells(html, "none"));
        Assert.Equal(["learned-affine", "2", "83.75 ± 0.50", "83.50, 84.00", "80.00", "83.25", "+2.50", "1 min 24 s", "2 min 48 s"], Cells(html, "learned-affine"));
        Assert.Equal(["&lt;b&gt;bold&lt;/b&gt; &amp; &quot;co&quot;", "1", "78.25 ± n/a", "78.25", "–", "77.75", "-3.00", "2 h 01 min", "2 h 01 min"],
            Cells(html, "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;co&quot;"));
        Assert.Contains("<strong>83.75 ± 0.50</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_from_the_inputs_are_escaped()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out _);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("dabo compare --augment none,learned-affine", html, StringComparison.Ordinal);
        Assert.Contains("<td>TorchSharp</td><td>0.107.0</td>", html, StringComparison.Ordinal);
        Assert.Contains("2025-01-02 03:04:05Z", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_image_is_a_non_blank_png_embedded_in_the_page()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out _);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        var images = Images(html);

        // 3 learning-curve charts, 2 learned parameters of learned-affine, 3 augmentation grids.
        Assert.Equal(8, images.Count);
        Assert.Equal(8, Regex.Matches(html, "<img ").Count);
        Assert.Equal(3, images.Count(i => i.Name.StartsWith("augment-", StringComparison.Ordinal)));
        Assert.Equal(2, images.Count(i => i.Name.StartsWith("params-", StringComparison.Ordinal)));
        foreach (var (name, png) in images)
        {
            Assert.True(png.Length > 4000, $"{name}: {png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
            Assert.True(LuminanceStd(png) > 10, $"{name} looks blank");
        }
    }

    [Fact]
    public void The_page_is_self_contained()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out _);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.StartsWith("data:", r, StringComparison.Ordinal));
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Equal(["report.html"], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Fact]
    public void Augmentation_grid_is_embedded_byte_for_byte()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out var results);
        byte[] original = File.ReadAllBytes(Path.Combine(results.Methods[1].RunDirectories[0], "augment.png"));
        var images = Images(File.ReadAllText(Path.Combine(output, "report.html")));
        Assert.Equal(original, images.Single(i => i.Name == "augment-1.png").Png);
    }

    [Fact]
    public void Images_of_an_earlier_report_folder_are_removed_and_other_files_kept()
    {
        using var temp = new TempDirectory();
        string output = temp.Combine("out");
        string folder = Path.Combine(output, HtmlReport.LegacyImageFolder);
        Directory.CreateDirectory(folder);
        string[] old = ["test-accuracy.png", "params-1-0.png", "augment-0.png", "policy-1-kl.png"];
        foreach (string name in old)
        {
            File.WriteAllBytes(Path.Combine(folder, name), [1, 2, 3]);
        }
        string mine = Path.Combine(folder, "notes.png");
        File.WriteAllBytes(mine, [1, 2, 3]);

        HtmlReport.Write(SyntheticComparison.Create(temp.Combine("runs")), output);

        Assert.All(old, name => Assert.False(File.Exists(Path.Combine(folder, name)), name));
        Assert.True(File.Exists(mine));
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));

        File.Delete(mine);
        HtmlReport.Write(SyntheticComparison.Create(temp.Combine("runs")), output);
        Assert.False(Directory.Exists(folder)); // emptied: gone
    }

    [Fact]
    public void Verdict_line_comes_first()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out var results);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));

        var verdict = Regex.Match(html, "<p class=\"verdict\"><strong>Verdict:</strong> (.*?)</p>");
        Assert.True(verdict.Success, "no verdict line");
        // The synthetic summaries record no test-set size: 10,000 is assumed.
        Assert.Equal(ReportFormat.Html(Verdict.Describe(results, 10_000)), verdict.Groups[1].Value);
        Assert.StartsWith("learned-affine 83.75 % beats none 81.25 % by 2.50 pts", verdict.Groups[1].Value, StringComparison.Ordinal);
        Assert.True(verdict.Index < html.IndexOf("<h2>", StringComparison.Ordinal), "the verdict is not above the first section");
    }

    [Fact]
    public void Without_a_model_the_confusion_matrix_is_a_note()
    {
        using var temp = new TempDirectory();
        string html = File.ReadAllText(Path.Combine(WriteReport(temp, out _), "report.html"));

        Assert.Contains("<h2>Confusion matrix of learned-affine</h2>", html, StringComparison.Ordinal); // best by mean test accuracy
        Assert.Contains("could not be evaluated", html, StringComparison.Ordinal);
        Assert.Contains("model.bin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table class=\"confusion\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_run_directories_give_a_note_not_a_crash()
    {
        using var temp = new TempDirectory();
        var method = new MethodResult("ghost", 1, 0.5, 0, null, 0.5, 1, 1, null, [temp.Combine("nowhere")]);
        var results = new ComparisonResults("d", "m", 3, null, [method], "dabo compare", new Dictionary<string, string>(), "today");
        HtmlReport.Write(results, temp.Combine("out"));
        string html = File.ReadAllText(temp.Combine("out", "report.html"));

        Assert.Equal(["ghost", "1", "50.00 ± n/a", "–", "–", "50.00", "–", "1.0 s", "1.0 s"], Cells(html, "ghost"));
        Assert.Contains("no run recorded it", html, StringComparison.Ordinal);
        Assert.Contains("ghost: no <code>augment.png</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "0.0 s")]
    [InlineData(59.94, "59.9 s")]
    [InlineData(59.96, "1 min 00 s")]
    [InlineData(3599.4, "59 min 59 s")]
    [InlineData(3725, "1 h 02 min")]
    public void Durations_read_naturally(double seconds, string expected) => Assert.Equal(expected, ReportFormat.Duration(seconds));

    [Theory]
    [InlineData(0.0123, "+1.23")]
    [InlineData(-0.0050, "-0.50")]
    [InlineData(0.0, "0.00")]
    public void Gains_are_signed_percentage_points(double gain, string expected) => Assert.Equal(expected, ReportFormat.PercentagePoints(gain));

    internal static double LuminanceStd(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double l = (0.299 * c.Red) + (0.587 * c.Green) + (0.114 * c.Blue);
                sum += l;
                sumSq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sumSq / n) - (mean * mean)));
    }
}
