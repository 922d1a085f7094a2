using System.Text.RegularExpressions;
using Dabo.Experiments;
using Dabo.Experiments.Reporting;
using SkiaSharp;

namespace Dabo.Tests.Experiments;

public partial class HtmlReportTests
{
    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex ImageSource();

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

        Assert.Equal(["none", "2", "81.25 ± 1.25", "80.00", "80.75", "0.00", "42.0 s", "1 min 24 s"], Cells(html, "none"));
        Assert.Equal(["learned-affine", "2", "83.75 ± 0.50", "80.00", "83.25", "+2.50", "1 min 24 s", "2 min 48 s"], Cells(html, "learned-affine"));
        Assert.Equal(["&lt;b&gt;bold&lt;/b&gt; &amp; &quot;co&quot;", "1", "78.25 ± 0.00", "–", "77.75", "-3.00", "2 h 01 min", "2 h 01 min"],
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
    public void Every_referenced_image_is_a_non_blank_png_beside_the_page()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out _);
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        var sources = ImageSource().Matches(html).Select(m => m.Groups[1].Value).ToList();

        // 3 learning-curve charts, 2 learned parameters of learned-affine, 3 augmentation grids.
        Assert.Equal(8, sources.Count);
        Assert.Equal(3, sources.Count(s => s.StartsWith("report/augment-", StringComparison.Ordinal)));
        Assert.Equal(2, sources.Count(s => s.StartsWith("report/params-", StringComparison.Ordinal)));
        foreach (string source in sources)
        {
            Assert.False(Path.IsPathRooted(source), source);
            string path = Path.Combine(output, source);
            Assert.True(File.Exists(path), path);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 4000, $"{source}: {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            Assert.True(LuminanceStd(bytes) > 10, $"{source} looks blank");
        }
    }

    [Fact]
    public void Augmentation_grid_is_copied_byte_for_byte()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out var results);
        byte[] original = File.ReadAllBytes(Path.Combine(results.Methods[1].RunDirectories[0], "augment.png"));
        Assert.Equal(original, File.ReadAllBytes(Path.Combine(output, "report", "augment-1.png")));
    }

    [Fact]
    public void Rewriting_with_fewer_methods_removes_their_images_and_keeps_other_files()
    {
        using var temp = new TempDirectory();
        string output = WriteReport(temp, out var results);
        string mine = Path.Combine(output, "report", "notes.png");
        File.WriteAllBytes(mine, [1, 2, 3]);
        Assert.True(File.Exists(Path.Combine(output, "report", "params-1-0.png")));

        HtmlReport.Write(results with { Methods = [results.Methods[0]] }, output);

        Assert.False(File.Exists(Path.Combine(output, "report", "params-1-0.png")));
        Assert.False(File.Exists(Path.Combine(output, "report", "augment-1.png")));
        Assert.True(File.Exists(Path.Combine(output, "report", "augment-0.png")));
        Assert.True(File.Exists(mine));
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Missing_run_directories_give_a_note_not_a_crash()
    {
        using var temp = new TempDirectory();
        var method = new MethodResult("ghost", 1, 0.5, 0, null, 0.5, 1, 1, null, [temp.Combine("nowhere")]);
        var results = new ComparisonResults("d", "m", 3, null, [method], "dabo compare", new Dictionary<string, string>(), "today");
        HtmlReport.Write(results, temp.Combine("out"));
        string html = File.ReadAllText(temp.Combine("out", "report.html"));

        Assert.Equal(["ghost", "1", "50.00 ± 0.00", "–", "50.00", "–", "1.0 s", "1.0 s"], Cells(html, "ghost"));
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
