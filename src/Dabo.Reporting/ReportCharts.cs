using ScottPlot;

namespace Dabo.Reporting;

/// <summary>The report's charts, drawn with ScottPlot as PNG bytes.</summary>
internal static class ReportCharts
{
    /// <summary>Size of the comparison charts.</summary>
    public const int Width = 800, Height = 450;

    /// <summary>Size of one learned-parameter chart.</summary>
    public const int SmallWidth = 520, SmallHeight = 300;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>The colour of method <paramref name="index"/> as CSS hex.</summary>
    public static string CssColor(int index) => Palette.GetColor(index).ToHex();

    /// <summary>Lines over epochs with a legend; <paramref name="legendAt"/> places it where the curves are not.</summary>
    public static byte[] Lines(string title, string yLabel, IReadOnlyList<Series> series, Alignment legendAt)
    {
        var plot = new Plot();
        foreach (var s in series.Where(s => !s.Curve.IsEmpty))
        {
            var line = plot.Add.Scatter(s.Curve.Epochs, s.Curve.Values, Palette.GetColor(s.ColorIndex));
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.MarkerSize = s.Curve.Epochs.Length <= 40 ? 5 : 0;
            if (s.Dashed)
            {
                line.LinePattern = LinePattern.Dashed;
                line.MarkerShape = MarkerShape.OpenCircle;
            }
        }
        Decorate(plot, title, yLabel);
        plot.ShowLegend(legendAt);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>A learned parameter: its mean as a line inside a band of ± one standard deviation.</summary>
    public static byte[] Parameter(string title, ParameterCurve parameter, int colorIndex)
    {
        var plot = new Plot();
        var color = Palette.GetColor(colorIndex);
        double[] x = parameter.Mean.Epochs, mean = parameter.Mean.Values;
        double[] low = [.. mean.Zip(parameter.Std, (m, s) => m - s)];
        double[] high = [.. mean.Zip(parameter.Std, (m, s) => m + s)];
        var band = plot.Add.FillY(x, low, high);
        band.FillColor = color.WithAlpha(0.25);
        band.LineWidth = 0;
        var line = plot.Add.Scatter(x, mean, color);
        line.LineWidth = 2;
        line.MarkerSize = x.Length <= 40 ? 4 : 0;
        string unit = parameter.Unit.Length > 0 ? $" ({parameter.Unit})" : "";
        Decorate(plot, title, parameter.Name + unit); // no legend: the page says line = mean, band = ± std
        return plot.GetImageBytes(SmallWidth, SmallHeight, ImageFormat.Png);
    }

    /// <summary>
    /// One slot of a learned policy: each operation's probability over epochs (legend outside, on the
    /// right) and the uniform prior 1/K as a dashed horizontal line. The palette has 10 colours; the
    /// operations after the 10th (a policy has 13 or 14) reuse them with dotted lines and square markers.
    /// </summary>
    public static byte[] PolicyProbabilities(string title, IReadOnlyList<(string Operation, Curve Probability)> operations, double prior)
    {
        var plot = new Plot();
        int epochs = operations.Count == 0 ? 0 : operations.Max(o => o.Probability.Epochs.Length);
        for (int i = 0; i < operations.Count; i++)
        {
            var (name, curve) = operations[i];
            if (curve.IsEmpty)
            {
                continue;
            }
            var line = plot.Add.Scatter(curve.Epochs, curve.Values, Palette.GetColor(i));
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = epochs <= 40 ? 5 : 0;
            if (i >= Palette.Colors.Length)
            {
                line.LinePattern = LinePattern.Dotted;
                line.MarkerShape = MarkerShape.FilledSquare;
            }
        }
        var priorLine = plot.Add.HorizontalLine(prior, 1.5f, Colors.Black, LinePattern.Dashed);
        priorLine.LegendText = "uniform prior 1/K";
        double top = operations.SelectMany(o => o.Probability.Values).Append(prior).Max();
        Decorate(plot, title, "probability");
        plot.Axes.SetLimitsY(0, top * 1.08);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// How far a learned policy moved from its prior: KL divergence to the uniform prior (left axis) and
    /// the entropy of the operation choice (right axis) over epochs, with the prior's entropy dashed.
    /// </summary>
    public static byte[] PolicyDivergence(string title, Curve kl, Curve entropy, double priorEntropy)
    {
        var plot = new Plot();
        var klColor = Palette.GetColor(0);
        var entropyColor = Palette.GetColor(1);
        int epochs = Math.Max(kl.Epochs.Length, entropy.Epochs.Length);
        if (!kl.IsEmpty)
        {
            var line = plot.Add.Scatter(kl.Epochs, kl.Values, klColor);
            line.LegendText = "KL to the prior";
            line.LineWidth = 2;
            line.MarkerSize = epochs <= 40 ? 5 : 0;
        }
        if (!entropy.IsEmpty)
        {
            var line = plot.Add.Scatter(entropy.Epochs, entropy.Values, entropyColor);
            line.LegendText = "entropy";
            line.LineWidth = 2;
            line.MarkerSize = epochs <= 40 ? 5 : 0;
            line.Axes.YAxis = plot.Axes.Right;
        }
        var prior = plot.Add.HorizontalLine(priorEntropy, 1.5f, entropyColor, LinePattern.Dashed);
        prior.LegendText = "entropy of the prior";
        prior.Axes.YAxis = plot.Axes.Right;
        Decorate(plot, title, "KL divergence to the prior (nats)");
        plot.Axes.Right.Label.Text = "entropy (nats)";
        plot.Axes.Right.Label.FontSize = 14;
        plot.Axes.Left.Label.ForeColor = klColor;
        plot.Axes.Right.Label.ForeColor = entropyColor;
        double klTop = kl.Values.Append(0).Max();
        plot.Axes.SetLimitsY(0, klTop > 0 ? klTop * 1.1 : 1, plot.Axes.Left);
        double entropyBottom = entropy.Values.Append(priorEntropy).Min(), entropyTop = entropy.Values.Append(priorEntropy).Max();
        double pad = Math.Max(0.05 * (entropyTop - entropyBottom), 0.01 * priorEntropy + 1e-6);
        plot.Axes.SetLimitsY(entropyBottom - pad, entropyTop + pad, plot.Axes.Right);
        plot.ShowLegend(Alignment.MiddleRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// Grouped bars: one group per category (the suite's cells), one bar per series (methods) in its colour,
    /// with error bars from <c>Low</c> to <c>High</c> where given; a line at zero. NaN values draw no bar.
    /// </summary>
    public static byte[] GroupedBars(string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Label, int ColorIndex, IReadOnlyList<(double Value, double? Low, double? High)> Values)> series)
    {
        var plot = new Plot();
        double width = 0.8 / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette.GetColor(series[s].ColorIndex);
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
            {
                var (value, low, high) = series[s].Values[c];
                if (double.IsNaN(value))
                {
                    continue;
                }
                double position = c - 0.4 + (width * (s + 0.5));
                bars.Add(new Bar { Position = position, Value = value, Size = width * 0.9, FillColor = color, LineWidth = 0 });
                if (low is double lo && high is double hi)
                {
                    var error = plot.Add.Line(position, lo, position, hi);
                    error.Color = Colors.Black;
                    error.LineWidth = 1.5f;
                }
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Label;
        }
        var zero = plot.Add.HorizontalLine(0);
        zero.Color = Colors.Gray;
        zero.LineWidth = 1;
        plot.Font.Set(SansFont.Value);
        plot.Title(title, 16);
        plot.YLabel(yLabel, 14);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 25;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5); // every category, with or without bars
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(Width + 200, Height + 50, ImageFormat.Png);
    }

    /// <summary>
    /// A sans-serif family that is installed. ScottPlot's own "sans" guess takes the first family it
    /// finds, which on a Debian machine with only DejaVu fonts is DejaVu Serif.
    /// </summary>
    private static readonly Lazy<string> SansFont = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica", "Segoe UI"];
        return preferred.FirstOrDefault(installed.Contains) ?? Fonts.Default;
    });

    private static void Decorate(Plot plot, string title, string yLabel)
    {
        plot.Font.Set(SansFont.Value);
        plot.Title(title, 16);
        plot.XLabel("epoch", 14);
        plot.YLabel(yLabel, 14);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }
}
