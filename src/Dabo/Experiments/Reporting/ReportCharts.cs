using ScottPlot;

namespace Dabo.Experiments.Reporting;

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
