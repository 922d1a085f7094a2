using System.Text.Json;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

[Collection("global-rng")]
public class TrainCommandTests
{
    [Fact]
    public void Trains_a_tiny_run_and_writes_its_summary()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16",
            "--augment", "standard+learned-affine", "--out", dir.Combine("run"), "--quiet");

        Assert.True(code == 0, err);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.Combine("run", "summary.json")));
        foreach (var key in new[] { "method", "model", "seed", "epochs", "train_images", "val_accuracy", "test_accuracy", "best_val_epoch", "test_accuracy_at_best_val", "wall_seconds" })
        {
            Assert.True(summary.RootElement.TryGetProperty(key, out _), key);
        }
        Assert.True(File.Exists(dir.Combine("run", "augmenter.bin")));
        var line = File.ReadAllLines(dir.Combine("run", "metrics.jsonl"))[0];
        Assert.Contains("\"augmenter\"", line);
        Assert.Contains("\"hypergrad_norm\"", line);

        // Transfer: a new classifier trained with the learned augmenter frozen.
        var (code2, _, err2) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16",
            "--augment", "learned:" + dir.Combine("run"), "--out", dir.Combine("transfer"), "--quiet");
        Assert.True(code2 == 0, err2);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--batch-size", "-3", "--batch-size")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--model", "vgg", "unknown model")]
    [InlineData("--augment", "magic", "unknown name")]
    [InlineData("--device", "cuda", "CUDA is not available")]
    public void Bad_flags_exit_2_with_one_line(string flag, string value, string expected)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("train", flag, value, "--out", dir.Combine("run"), "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Missing_out_is_an_error()
    {
        var (code, _, err) = CliRunner.Run("train", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
    }
}
