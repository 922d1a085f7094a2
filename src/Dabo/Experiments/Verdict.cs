using System.Globalization;
using Dabo.Training.Runs;

namespace Dabo.Experiments;

/// <summary>
/// One sentence on who won a comparison and whether the gap means anything: the best method by
/// mean test accuracy against the runner-up, the gap in points, and the noise it must clear — the
/// seed-to-seed standard error where there are several seeds, otherwise the sampling error of the
/// test set alone (which understates the real noise, and says so).
/// </summary>
public static class Verdict
{
    /// <summary>The verdict line for <paramref name="results"/>.</summary>
    /// <param name="results">A finished comparison.</param>
    /// <param name="testImages">Size of the test split (for the test-set sampling error).</param>
    public static string Describe(ComparisonResults results, int testImages)
    {
        ArgumentNullException.ThrowIfNull(results);
        var ranked = results.Methods.OrderByDescending(m => m.TestAccuracyMean).ToList();
        if (ranked.Count < 2)
        {
            return ranked.Count == 1 ? $"{ranked[0].Method}: {Points(ranked[0].TestAccuracyMean)} % test accuracy (nothing to compare with)" : "no results";
        }
        var (best, next) = (ranked[0], ranked[1]);
        double gap = (best.TestAccuracyMean - next.TestAccuracyMean) * 100;
        bool seeds = best.Seeds >= 2 && next.Seeds >= 2;
        double error = seeds
            ? Math.Sqrt((Square(best.TestAccuracyStd) / best.Seeds) + (Square(next.TestAccuracyStd) / next.Seeds)) * 100
            : Math.Sqrt((Binomial(best.TestAccuracyMean) + Binomial(next.TestAccuracyMean)) / Math.Max(1, testImages)) * 100;
        string noise = seeds
            ? $"standard error over seeds {Format(error)} pts"
            : $"one seed: the test set alone gives ±{Format(error)} pts (1 s.e.), and seed-to-seed variation adds to that";
        string call = gap < 2 * error ? "inside the noise: not a real difference" : "outside the noise";
        return $"{best.Method} {Points(best.TestAccuracyMean)} % beats {next.Method} {Points(next.TestAccuracyMean)} % by {Format(gap)} pts; {noise}; {call}";
    }

    /// <summary>
    /// The test split's size, from the <c>summary.json</c> of the first finished run of <paramref name="results"/>;
    /// 10,000 (the Fashion-MNIST and CIFAR-10 test sets) when no run records it.
    /// </summary>
    public static int TestImages(ComparisonResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (string directory in results.Methods.SelectMany(m => m.RunDirectories))
        {
            var summary = new Training.Runs.RunDirectory(directory).LoadSummary();
            if (summary is { TestImages: > 0 })
            {
                return summary.TestImages;
            }
        }
        return DefaultTestImages;
    }

    /// <summary>Test split size assumed when no run records one.</summary>
    public const int DefaultTestImages = 10_000;

    private static double Square(double x) => x * x;

    private static double Binomial(double p) => p * (1 - p);

    private static string Points(double accuracy) => (accuracy * 100).ToString("F2", CultureInfo.InvariantCulture);

    private static string Format(double points) => points.ToString("F2", CultureInfo.InvariantCulture);
}
