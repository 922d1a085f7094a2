using System.Buffers.Binary;
using System.Text;
using Dabo.Experiments;
using Dabo.IO;
using ScottPlot;
using static Dabo.Reporting.ReportFormat;

namespace Dabo.Reporting;

/// <summary>
/// Writes the report of a comparison: one self-contained <c>report.html</c> in the output directory, with
/// its images (test and validation accuracy, training loss, learned parameters, learned policies, each
/// method's <c>augment.png</c>) embedded as base64 <c>data:</c> URIs, so the page can be mailed or attached
/// as it is. At the top it states the <see cref="Verdict"/>; the results table shows each seed's test
/// accuracy; and the best method (by mean test accuracy) gets the confusion matrix of its first seed's
/// model on the test split. The page is written atomically.
/// </summary>
public static class HtmlReport
{
    /// <summary>File name of the page inside the output directory.</summary>
    public const string PageFile = "report.html";

    /// <summary>Folder beside the page where earlier versions wrote the images; a report removes the images it finds there.</summary>
    public const string LegacyImageFolder = ImageWriter.LegacyFolder;

    /// <summary>Writes <c>report.html</c> for <paramref name="results"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="results">A finished comparison.</param>
    /// <param name="outputDirectory">Where the page goes.</param>
    /// <param name="cacheDirectory">Decoded-image cache used to evaluate the best method's model (null: the default).</param>
    public static void Write(ComparisonResults results, string outputDirectory, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var methods = results.Methods.Select(MethodRuns.Load).ToList();
        var images = new ImageWriter(outputDirectory);
        var html = new StringBuilder();
        Header(html, results);
        ResultsTable(html, results);
        AutoChoices(html, results);
        ConfusionMatrix(html, results, cacheDirectory);
        LearningCurves(html, methods, images);
        LearnedParameters(html, methods, images);
        PolicySection.Append(html, methods, images);
        AugmentationGrids(html, methods, images);
        html.Append("</body>\n</html>\n");
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, PageFile), html.ToString());
        images.RemoveLegacyFolder();
    }

    private static void Header(StringBuilder html, ComparisonResults r)
    {
        string title = $"Dabo comparison: {r.Dataset}, {r.Model}";
        string trainSize = r.TrainSize is int n ? $"{Integer(n)} training images" : "all training images";
        html.Append(CultureInvariant($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html(title)}</title>
            <style>{Css}</style>
            </head>
            <body>
            <h1>{Html(title)}</h1>
            <p class="meta">{Html(r.Date)} · {Integer(r.Epochs)} epochs · {trainSize} · {Integer(r.Methods.Count)} methods</p>
            <p class="verdict"><strong>Verdict:</strong> {Html(Verdict.Describe(r, Verdict.TestImages(r)))}</p>
            <h2>Command</h2>
            <pre>{Html(r.Command)}</pre>

            """));
        if (r.Versions.Count > 0)
        {
            html.Append("<table class=\"versions\">\n<tr><th>software</th><th>version</th></tr>\n");
            foreach (var (name, version) in r.Versions)
            {
                html.Append($"<tr><td>{Html(name)}</td><td>{Html(version)}</td></tr>\n");
            }
            html.Append("</table>\n");
        }
    }

    private static void ResultsTable(StringBuilder html, ComparisonResults r)
    {
        html.Append("""
            <h2>Results</h2>
            <table class="results">
            <tr><th>method</th><th>seeds</th><th>test accuracy (%)</th><th>test accuracy per seed (%)</th><th>validation accuracy (%)</th><th>test accuracy at best validation epoch (%)</th><th>gain over none (pp)</th><th>wall time per run</th><th>wall time total</th></tr>

            """);
        double best = r.Methods.Count > 0 ? r.Methods.Max(m => m.TestAccuracyMean) : double.NaN;
        for (int i = 0; i < r.Methods.Count; i++)
        {
            var m = r.Methods[i];
            string test = PercentMeanStd(m.TestAccuracyMean, m.TestAccuracyStd, m.Seeds);
            string perSeed = m.TestAccuracies is { Count: > 0 } each ? string.Join(", ", each.Select(Percent)) : "–";
            string testCell = m.TestAccuracyMean == best ? $"<strong>{test}</strong>" : test;
            html.Append(CultureInvariant($"""
                <tr><td class="method"><span class="swatch" style="background:{ReportCharts.CssColor(i)}"></span>{Html(m.Method)}</td><td>{Integer(m.Seeds)}</td><td>{testCell}</td><td class="seeds">{perSeed}</td><td>{Optional(m.ValAccuracyMean, Percent)}</td><td>{Percent(m.TestAccuracyAtBestValMean)}</td><td>{Optional(m.GainOverNone, PercentagePoints)}</td><td>{Duration(m.WallSecondsMean)}</td><td>{Duration(m.WallSecondsTotal)}</td></tr>

                """));
        }
        html.Append("""
            </table>
            <p class="note">Accuracies of the final models, mean ± sample standard deviation over seeds (n/a with one seed), and each seed's in the order of the seeds. The best validation epoch is chosen on validation accuracy only; the test split never selects anything. Gain: mean test accuracy minus that of <code>none</code>, in percentage points.</p>

            """);
    }

    // What each auto run chose, per seed, and its grounds (selection.json): the choice is the method's whole point.
    private static void AutoChoices(StringBuilder html, ComparisonResults r)
    {
        var lines = r.Methods
            .SelectMany(m => m.RunDirectories.Select(d => (Seed: Path.GetFileName(d), Choice: RunChoice.Describe(d, m.Method))))
            .Where(x => x.Choice is not null)
            .ToList();
        if (lines.Count == 0)
        {
            return;
        }
        html.Append("<h2>What auto chose</h2>\n<ul class=\"choices\">\n");
        foreach (var (seed, choice) in lines)
        {
            html.Append($"<li>{Html(seed)}: {Html(choice!)}</li>\n");
        }
        html.Append("</ul>\n");
    }

    private static void ConfusionMatrix(StringBuilder html, ComparisonResults r, string? cacheDirectory)
    {
        var best = r.Methods.Where(m => m.RunDirectories.Count > 0).MaxBy(m => m.TestAccuracyMean);
        if (best is null)
        {
            return;
        }
        string run = best.RunDirectories[0];
        html.Append(CultureInvariant($"<h2>Confusion matrix of {Html(best.Method)}</h2>\n"));
        RunEvaluationResult result;
        try
        {
            result = RunEvaluation.Evaluate(run, cacheDirectory: cacheDirectory);
        }
        catch (Exception e) when (e is DaboException or IOException or UnauthorizedAccessException)
        {
            html.Append(CultureInvariant($"<p class=\"note\">The best method's model could not be evaluated: {Html(e.Message)}</p>\n"));
            return;
        }
        var evaluation = result.Evaluation;
        int k = result.ClassNames.Count;
        var perClass = evaluation.PerClassAccuracy();
        html.Append("<table class=\"confusion\">\n<tr><th>true \\ predicted</th>");
        for (int j = 0; j < k; j++)
        {
            html.Append(CultureInvariant($"<th title=\"{Html(result.ClassNames[j])}\">{j}</th>"));
        }
        html.Append("<th>accuracy (%)</th></tr>\n");
        for (int i = 0; i < k; i++)
        {
            html.Append(CultureInvariant($"<tr><td class=\"class\">{i} {Html(result.ClassNames[i])}</td>"));
            for (int j = 0; j < k; j++)
            {
                long n = evaluation.Confusion[i, j];
                html.Append(i == j ? CultureInvariant($"<td class=\"diagonal\">{n}</td>") : CultureInvariant($"<td>{n}</td>"));
            }
            string accuracy = double.IsNaN(perClass[i]) ? "–" : (100 * perClass[i]).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
            html.Append(CultureInvariant($"<td>{accuracy}</td></tr>\n"));
        }
        html.Append(CultureInvariant($"""
            </table>
            <p class="note">The method with the best mean test accuracy; its first seed's final model (<code>{Html(result.ModelFile)}</code>) evaluated once on the test split of <code>{Html(result.Dataset)}</code> when this report was written: accuracy {Percent(evaluation.Accuracy)} %. Rows: true class; columns: predicted class; the diagonal is correct.</p>

            """));
    }

    private static void LearningCurves(StringBuilder html, List<MethodRuns> methods, ImageWriter images)
    {
        html.Append("<h2>Learning curves</h2>\n<p class=\"note\">Mean over seeds at each epoch.</p>\n");
        var test = methods.Select((m, i) => new Series(m.Result.Method, i, Scaled(m.Mean(e => e.TestAccuracy), 100))).ToList();
        var val = methods.Select((m, i) => new Series(m.Result.Method, i, Scaled(m.Mean(e => e.ValAccuracy), 100))).ToList();
        var loss = methods.SelectMany((m, i) => new[]
        {
            new Series(m.Result.Method, i, m.Mean(e => e.TrainLoss)),
            new Series(m.Result.Method + " (clean)", i, m.Mean(e => e.TrainLossClean), Dashed: true),
        }).ToList();
        Chart(html, images, "test-accuracy.png", test, "Test accuracy", "test accuracy (%)", Alignment.LowerRight,
            "Test accuracy per epoch (mean over seeds).");
        Chart(html, images, "val-accuracy.png", val, "Validation accuracy", "validation accuracy (%)", Alignment.LowerRight,
            "Validation accuracy per epoch (mean over seeds).");
        Chart(html, images, "train-loss.png", loss, "Training loss: augmented images (solid), clean images (dashed)", "cross-entropy loss", Alignment.UpperRight,
            "Training loss per epoch (mean over seeds): on the augmented images the classifier trained on (solid) and on the clean training images (dashed, where measured).");
    }

    private static void Chart(StringBuilder html, ImageWriter images, string file, List<Series> series, string title, string yLabel, Alignment legendAt, string caption)
    {
        if (series.All(s => s.Curve.IsEmpty))
        {
            html.Append($"<p class=\"note\">{Html(title)}: no run recorded it.</p>\n");
            return;
        }
        string src = images.Attributes(file, ReportCharts.Lines(title, yLabel, series, legendAt));
        html.Append(CultureInvariant($"""
            <figure><img {src} width="{ReportCharts.Width}" height="{ReportCharts.Height}" alt="{Html(title)}"><figcaption>{Html(caption)}</figcaption></figure>

            """));
    }

    private static void LearnedParameters(StringBuilder html, List<MethodRuns> methods, ImageWriter images)
    {
        var learned = methods.Select((m, i) => (Method: m, Index: i, Parameters: m.LearnedParameters()))
            .Where(x => x.Parameters.Count > 0).ToList();
        if (learned.Count == 0)
        {
            return;
        }
        html.Append("<h2>Learned augmentation parameters</h2>\n<p class=\"note\">Each learned transformation parameter per epoch, in its physical unit: the mean over the augmenter's random draws (line) and ± one standard deviation (band, the diversity of the augmentation), from the first seed's run.</p>\n");
        foreach (var (method, index, parameters) in learned)
        {
            string run = method.FirstRunWithMetrics!.Value.Run.Path;
            html.Append(CultureInvariant($"<h3>{Html(method.Result.Method)}</h3>\n<p class=\"note\">Run <code>{Html(run)}</code>.</p>\n<div class=\"params\">\n"));
            for (int p = 0; p < parameters.Count; p++)
            {
                var parameter = parameters[p];
                string title = $"{method.Result.Method}: {parameter.Name}";
                string src = images.Attributes(CultureInvariant($"params-{index}-{p}.png"), ReportCharts.Parameter(title, parameter, index));
                html.Append(CultureInvariant($"""<img {src} width="{ReportCharts.SmallWidth}" height="{ReportCharts.SmallHeight}" alt="{Html(title)}">""")).Append('\n');
            }
            html.Append("</div>\n");
            TorchvisionBlock.Append(html, method.FirstRunWithMetrics!.Value.Run);
        }
    }

    private static void AugmentationGrids(StringBuilder html, List<MethodRuns> methods, ImageWriter images)
    {
        html.Append("<h2>Augmented training images</h2>\n<p class=\"note\">Top row: training images; bottom row: what the classifier saw after augmentation, at the end of the first seed's run.</p>\n");
        for (int i = 0; i < methods.Count; i++)
        {
            var method = methods[i];
            if (method.FirstRunWithAugmentImage is not { } run)
            {
                html.Append($"<p class=\"note\">{Html(method.Result.Method)}: no <code>augment.png</code> in its run directories.</p>\n");
                continue;
            }
            byte[] png = File.ReadAllBytes(run.AugmentImageFile);
            string src = images.Attributes(CultureInvariant($"augment-{i}.png"), png);
            string size = PngSize(png) is (int w, int h) ? DisplaySize(w, h) : "";
            html.Append(CultureInvariant($"""
                <figure class="grid"><img {src}{size} alt="{Html(method.Result.Method)}: augmented training images"><figcaption><strong>{Html(method.Result.Method)}</strong> — originals (top) and augmented (bottom), <code>{Html(run.AugmentImageFile)}</code></figcaption></figure>

                """));
        }
    }

    /// <summary>Width and height of a PNG from its IHDR chunk, or null if the bytes are not a PNG.</summary>
    private static (int Width, int Height)? PngSize(byte[] png) =>
        png.Length >= 24 && png.AsSpan(0, 8).SequenceEqual(PngSignature)
            ? (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)))
            : null;

    /// <summary>Small grids (28-pixel images) are shown enlarged by a whole factor, so they stay sharp and readable.</summary>
    private static string DisplaySize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            return "";
        }
        int factor = Math.Clamp(1100 / width, 1, 4);
        int w = width * factor, h = height * factor;
        if (w > 1200)
        {
            (w, h) = (1200, (int)((long)height * 1200 / width));
        }
        return CultureInvariant($" width=\"{w}\" height=\"{h}\"");
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static Curve Scaled(Curve c, double factor) => c with { Values = [.. c.Values.Select(v => v * factor)] };

    private static string Optional(double? value, Func<double, string> format) => value is double v ? format(v) : "–";

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    internal const string Css = """

        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; max-width: 1180px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; }
        .meta, .note { color: #555; font-size: 0.92em; }
        pre { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 0.7em 1em; white-space: pre-wrap; word-break: break-all; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.93em; }
        th, td { border-bottom: 1px solid #e1e4e8; padding: 0.35em 0.8em; text-align: right; }
        th { background: #f6f8fa; font-weight: 600; vertical-align: bottom; }
        td:first-child, th:first-child { text-align: left; }
        table.results td { font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.versions td, table.versions th { text-align: left; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.5em; vertical-align: baseline; }
        figure { margin: 1.2em 0; }
        figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; max-width: 800px; }
        img { max-width: 100%; height: auto; }
        .params { display: flex; flex-wrap: wrap; gap: 0.8em; }
        figure.grid img { image-rendering: pixelated; border: 1px solid #ddd; }
        code { font-size: 0.92em; }
        table.policy td { font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.policy .unit { text-align: left; }
        table.policy td.unit { color: #555; }
        table.policy .slot { border-left: 1px solid #d0d7de; }
        table.policy th[colspan] { text-align: center; }
        pre.torchvision { word-break: normal; overflow-wrap: anywhere; }
        .verdict { font-size: 1.05em; background: #f6f8fa; border-left: 4px solid #0969da; padding: 0.5em 0.9em; }
        table.confusion td { font-variant-numeric: tabular-nums; }
        table.confusion td.diagonal { font-weight: 700; background: #dcf5e3; }
        table.results td.seeds { color: #555; }
        .suppressed { background: #fde2e1; color: #8a1c14; }
        .favoured { background: #dcf5e3; color: #135c2a; }

        """;
}
