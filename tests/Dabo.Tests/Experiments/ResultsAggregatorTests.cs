using System.Text.Json;
using Dabo.Experiments;
using Dabo.Training;

namespace Dabo.Tests.Experiments;

public class ResultsAggregatorTests
{
    private static string FakeRun(TempDirectory dir, string method, int seed, double test, double val, double seconds)
    {
        string path = dir.Combine(method, $"seed-{seed}");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "config.json"), new TrainingConfig { Augment = method, Seed = seed }.ToJson());
        var summary = new RunSummary
        {
            Method = method,
            Model = "small-cnn",
            Dataset = "fashion-mnist",
            Seed = seed,
            Epochs = 3,
            TestAccuracy = test,
            ValAccuracy = val,
            TestAccuracyAtBestVal = test - 0.01,
            WallSeconds = seconds,
        };
        File.WriteAllText(Path.Combine(path, "summary.json"), JsonSerializer.Serialize(summary, TrainingConfig.JsonOptions));
        return path;
    }

    [Fact]
    public void Mean_sample_std_and_gain_over_none()
    {
        using var dir = new TempDirectory();
        var none = new[] { FakeRun(dir, "none", 0, 0.80, 0.81, 10), FakeRun(dir, "none", 1, 0.82, 0.83, 12) };
        var learned = new[] { FakeRun(dir, "learned-affine", 0, 0.84, 0.85, 30), FakeRun(dir, "learned-affine", 1, 0.88, 0.86, 34) };
        string unfinished = dir.Combine("learned-affine", "seed-2");
        Directory.CreateDirectory(unfinished);

        var results = ResultsAggregator.Aggregate([new("none", none), new("learned-affine", [.. learned, unfinished])]);

        Assert.Equal(2, results.Count);
        var l = results[1];
        Assert.Equal(2, l.Seeds);
        Assert.Equal(0.86, l.TestAccuracyMean, 10);
        Assert.Equal(Math.Sqrt(0.0008), l.TestAccuracyStd, 10); // sample std of 0.84, 0.88
        Assert.Equal(0.855, l.ValAccuracyMean!.Value, 10);
        Assert.Equal(0.05, l.GainOverNone!.Value, 10);
        Assert.Equal(32, l.WallSecondsMean, 10);
        Assert.Equal(64, l.WallSecondsTotal, 10);
        Assert.Equal(0.0, results[0].GainOverNone!.Value, 10);
        Assert.Equal([0.84, 0.88], l.TestAccuracies!); // per seed, the unfinished run left out
        Assert.Equal([0.80, 0.82], results[0].TestAccuracies!);
    }

    [Theory]
    [InlineData(1, " ± ", "81.23 ± n/a")]
    [InlineData(2, " ± ", "81.23 ± 0.45")]
    [InlineData(1, "±", "81.23±n/a")]
    [InlineData(3, "±", "81.23±0.45")]
    public void Standard_deviation_of_one_seed_is_not_applicable(int seeds, string separator, string expected) =>
        Assert.Equal(expected, ResultsFiles.PercentMeanStd(0.8123, 0.0045, seeds, separator));

    [Fact]
    public void Markdown_table_has_one_row_per_method()
    {
        using var dir = new TempDirectory();
        var methods = ResultsAggregator.Aggregate([new("none", [FakeRun(dir, "none", 0, 0.8, 0.8, 10)]), new("standard", [FakeRun(dir, "standard", 0, 0.8123, 0.8, 11)])]);
        var md = ResultsFiles.Markdown(new ComparisonResults("fashion-mnist", "small-cnn", 3, 1000, methods, "dabo compare ...", ResultsFiles.Versions(), "today"));
        Assert.Contains("| standard | 1 | 81.23 ± n/a |", md); // one seed: no standard deviation, not zero
        Assert.DoesNotContain("± 0.00", md);
        Assert.Contains("+1.23", md);
        Assert.Contains("dabo compare ...", md);
    }
}
