using System.Text.Json;
using Dabo.Experiments;
using Dabo.Tests.Cli;
using Dabo.Tests.Training;
using Dabo.Training;

namespace Dabo.Tests.Experiments;

[Collection("global-rng")]
public class ExperimentRunTests
{
    public ExperimentRunTests() => TorchRuntime.Initialize();

    private static TrainingConfig Config(string data) => new() { Dataset = data, TrainSize = 200, Epochs = 1, BatchSize = 16 };

    [Fact]
    public void Compare_reuses_finished_runs()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var started = new List<string>();
        Comparison Make() => new(Config(dir.Combine("data")), ["none", "standard"], [0, 1], dir.Combine("cmp"))
        {
            RunStarting = (m, s, _) => started.Add($"{m}/{s}"),
        };

        var first = Make().Run(null, "dabo compare test");
        Assert.Equal(["none/0", "none/1", "standard/0", "standard/1"], started);
        Assert.Equal(2, first.Methods.Count);
        Assert.All(first.Methods, m => Assert.Equal(2, m.Seeds));
        Assert.True(File.Exists(dir.Combine("cmp", "results.md")));
        Assert.True(File.Exists(dir.Combine("cmp", "results.json")));

        started.Clear();
        var second = Make().Run(null, "dabo compare test");
        Assert.Empty(started);
        Assert.Equal(first.Methods.Select(m => m.TestAccuracyMean), second.Methods.Select(m => m.TestAccuracyMean));
    }

    [Fact]
    public void Long_runs_start_first_and_the_results_keep_the_given_order()
    {
        using var dir = new TempDirectory();
        var comparison = new Comparison(Config(dir.Combine("data")), ["none", "auto", "standard", "learned-policy"], [0, 1], dir.Combine("cmp"));
        Assert.Equal(["auto", "auto", "learned-policy", "learned-policy", "none", "none", "standard", "standard"], comparison.Jobs().Select(j => j.Config.Augment));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], comparison.Jobs().Select(j => j.Config.Seed));
    }

    [Fact]
    public void Report_shows_the_confusion_matrix_of_the_best_methods_first_seed()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var results = new Comparison(Config(dir.Combine("data")), ["none", "standard"], [0, 1], dir.Combine("cmp")).Run(null, "dabo compare test");
        Dabo.Reporting.HtmlReport.Write(results, dir.Combine("cmp"));
        string html = File.ReadAllText(dir.Combine("cmp", "report.html"));

        var best = results.Methods.MaxBy(m => m.TestAccuracyMean)!;
        Assert.Contains($"<h2>Confusion matrix of {best.Method}</h2>", html, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(best.RunDirectories[0], "model.bin"), html, StringComparison.Ordinal);
        var table = System.Text.RegularExpressions.Regex.Match(html, "<table class=\"confusion\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(table.Success, "no confusion matrix");
        var rows = System.Text.RegularExpressions.Regex.Matches(table.Value, "<tr><td class=\"class\">.*?</tr>").Select(r => r.Value).ToList();
        Assert.Equal(TrainingData.Classes, rows.Count);
        long Count(string cell) => long.Parse(System.Text.RegularExpressions.Regex.Replace(cell, "<[^>]+>", ""), System.Globalization.CultureInfo.InvariantCulture);
        var counts = rows.Select(r => System.Text.RegularExpressions.Regex.Matches(r, "<td(?: class=\"diagonal\")?>(\\d+)</td>").Select(m => Count(m.Groups[1].Value)).ToList()).ToList();
        Assert.All(counts, c => Assert.Equal(TrainingData.Classes, c.Count));
        Assert.Equal(80, counts.Sum(c => c.Sum())); // the whole test split
        long correct = Enumerable.Range(0, TrainingData.Classes).Sum(i => counts[i][i]);
        Assert.Equal(best.TestAccuracies![0], correct / 80.0, 6); // the seed-0 model's own test accuracy
        Assert.Equal(TrainingData.Classes, System.Text.RegularExpressions.Regex.Matches(table.Value, "class=\"diagonal\"").Count);
    }

    [Fact]
    public void Grid_search_picks_by_validation_and_counts_every_run()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var started = new List<string>();
        GridSearch Make() => new(Config(dir.Combine("data")), "random-affine", [0, 0.5], [0], dir.Combine("grid")) { RunStarting = (m, _, _) => started.Add(m) };

        var outcome = Make().Run(null);
        Assert.Equal(["random-affine:0", "random-affine:0.5"], started);
        var best = outcome.Points.MaxBy(p => p.ValAccuracy)!;
        Assert.Equal(best.Magnitude, outcome.BestMagnitude);
        Assert.Equal(outcome.Points.Sum(p => p.WallSeconds), outcome.TotalWallSeconds, 6);

        started.Clear();
        Make().Run(null);
        Assert.Empty(started);
    }

    [Theory]
    [InlineData("{\"epochs\": 2, \"bogus\": 1}", "bogus")]
    [InlineData("{\"epochs\": \"two\"}", "epochs")]
    public void Config_file_errors_exit_2(string json, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("run.json"), json);
        var (code, _, err) = CliRunner.Run("train", "--config", dir.Combine("run.json"), "--out", dir.Combine("run"));
        Assert.Equal(2, code);
        Assert.Contains("run.json", err);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void Config_file_values_apply_and_flags_override_them()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("run.json"), "{\"epochs\": 7, \"lr\": 0.02, \"model\": \"resnet20\"}");
        var settings = new Dabo.Cli.Commands.TrainCommand.Settings { Config = dir.Combine("run.json"), Lr = 0.1 };
        var config = settings.ToConfig();
        Assert.Equal(7, config.Epochs);
        Assert.Equal(0.1, config.Lr);
        Assert.Equal("resnet20", config.Model);
    }

    [Theory]
    [InlineData("compare", "--seeds", "0", "--seeds")]
    [InlineData("compare", "--methods", "none,nothing", "nothing")]
    [InlineData("grid-search", "--grid", ",", "--grid")]
    [InlineData("grid-search", "--grid", "0,2", "--grid")]
    public void Experiment_flags_are_checked(string command, string flag, string value, string expected)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run(command, flag, value, "--out", dir.Combine("x"), "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void Non_run_directory_is_rejected_by_eval_and_preview()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("eval", "--run", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("not a Dabo run", err);
        (code, _, err) = CliRunner.Run("preview", "--run", dir.Path, "--out", dir.Combine("p.png"));
        Assert.Equal(2, code);
        Assert.Contains("not a Dabo run", err);
    }

    [Fact]
    public void Demo_preview_eval_and_tensorboard_on_a_tiny_dataset()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, output, err) = CliRunner.Run("demo", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--jobs", "1", "--out", dir.Combine("demo"), "--quiet");
        Assert.True(code == 0, err);
        Assert.Contains("trivialaugment", output);
        Assert.Matches(@"auto chose (none|randaugment:1:5|randaugment:2:10) \(proxies' final validation loss: none \d", output);
        Assert.Contains("noise", output); // the verdict line
        Assert.Contains("±n/a", output); // one seed: no standard deviation in the table
        Assert.DoesNotContain("±0.00", output);
        Assert.True(File.Exists(dir.Combine("demo", "report.html")));
        Assert.Contains("± n/a", File.ReadAllText(dir.Combine("demo", "results.md")), StringComparison.Ordinal);
        string report = File.ReadAllText(dir.Combine("demo", "report.html"));
        Assert.Contains("<strong>Verdict:</strong>", report, StringComparison.Ordinal);
        Assert.Contains("<table class=\"confusion\">", report, StringComparison.Ordinal);
        Assert.Contains("<h2>What auto chose</h2>", report, StringComparison.Ordinal);
        Assert.DoesNotContain("± 0.00", report, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("demo", "report")), "report.html should embed its images");

        string learnedRun = dir.Combine("demo", "runs", "auto", "seed-0");
        (code, _, err) = CliRunner.Run("preview", "--run", learnedRun, "--images", "10", "--out", dir.Combine("preview.png"));
        Assert.True(code == 0, err);
        var png = File.ReadAllBytes(dir.Combine("preview.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);

        (code, output, err) = CliRunner.Run("eval", "--run", learnedRun, "--tta", "2", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        double accuracy = json.RootElement.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0, 1);
        long total = json.RootElement.GetProperty("confusion").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64());
        Assert.Equal(80, total);

        (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16",
            "--augment", "standard", "--out", dir.Combine("tb-run"), "--tensorboard", dir.Combine("tb"), "--quiet");
        Assert.True(code == 0, err);
        Assert.NotEmpty(Directory.GetFiles(dir.Combine("tb"), "events.out.tfevents*", SearchOption.AllDirectories));
    }
}
