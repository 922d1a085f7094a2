using System.Text.Json;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

/// <summary><c>dabo bench cost</c>: finished runs' time breakdowns side by side, an auto run's proxies included.</summary>
[Collection("global-rng")]
public class BenchCostCommandTests
{
    [Fact]
    public void Tabulates_each_run_and_counts_autos_proxies_as_its_extra_work()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        foreach (var method in new[] { "none", "auto" })
        {
            var (trained, trainOut, trainErr) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "4", "--batch-size", "16",
                "--augment", method, "--out", dir.Combine(method));
            Assert.True(trained == 0, trainErr);
            // train says what auto chose, and on what grounds.
            Assert.Equal(method == "auto", trainOut.Contains("auto chose ", StringComparison.Ordinal));
        }

        var (code, output, err) = CliRunner.Run("bench", "cost", dir.Combine("none"), dir.Combine("auto"));
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("| proxies s | steps s |", lines[0], StringComparison.Ordinal);
        string[] Cells(string method) => lines.Single(l => l.Contains($"| {method} |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        int proxiesColumn = Array.IndexOf(lines[0].Split('|', StringSplitOptions.TrimEntries), "proxies s");
        Assert.Equal("–", Cells("none")[proxiesColumn]);
        Assert.True(double.Parse(Cells("auto")[proxiesColumn], System.Globalization.CultureInfo.InvariantCulture) > 0, lines[^1]);

        (code, output, err) = CliRunner.Run("bench", "cost", "--json", dir.Combine("none"), dir.Combine("auto"));
        Assert.True(code == 0, err);
        var runs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();
        Assert.Equal(2, runs.Count);
        var auto = runs[1].RootElement;
        double proxies = auto.GetProperty("time_breakdown").GetProperty("proxies").GetDouble();
        double wall = auto.GetProperty("wall_seconds").GetDouble();
        // The three proxies train a quarter of the epochs each on 80 % of the images: a real share of the run, not all of it.
        Assert.InRange(proxies / wall, 0.05, 0.95);
        Assert.False(runs[0].RootElement.GetProperty("time_breakdown").TryGetProperty("proxies", out _));
        runs.ForEach(r => r.Dispose());
    }

    [Fact]
    public void Refuses_a_directory_that_is_not_a_finished_run()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("bench", "cost", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("not a run directory", err, StringComparison.Ordinal);
    }
}
