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
        Assert.Contains("learned-policy", output);
        Assert.Contains("trivialaugment", output);
        Assert.Contains("noise", output); // the verdict line
        Assert.True(File.Exists(dir.Combine("demo", "report.html")));
        Assert.True(File.Exists(dir.Combine("demo", "results.md")));

        string learnedRun = dir.Combine("demo", "runs", "learned-policy", "seed-0");
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
