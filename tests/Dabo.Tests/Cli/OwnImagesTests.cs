using System.Text.Json;
using Dabo.Cli.Commands;

namespace Dabo.Tests.Cli;

/// <summary>Training on your own image folder: every image by default, and the run says how much it will train.</summary>
[Collection("global-rng")]
public class OwnImagesTests
{
    [Theory]
    [InlineData("fashion-mnist", null, 1000)]
    [InlineData("/data/parts", null, null)]
    [InlineData("/data/parts.tar.gz", null, null)]
    [InlineData("/data/parts", 300, 300)]
    [InlineData("/data/parts", 0, null)]
    [InlineData("fashion-mnist", 0, null)]
    public void Default_train_size_keeps_every_image_of_a_dataset_given_by_path(string dataset, int? flag, int? expected)
    {
        Assert.Equal(expected, new RunSettings { Dataset = dataset, TrainSize = flag }.ToConfig().TrainSize);
    }

    [Fact]
    public void A_config_file_that_names_train_size_keeps_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("a.json"), "{\"dataset\": \"/data/parts\", \"train_size\": 120}");
        File.WriteAllText(dir.Combine("b.json"), "{\"dataset\": \"/data/parts\"}");
        Assert.Equal(120, new RunSettings { Config = dir.Combine("a.json") }.ToConfig().TrainSize);
        Assert.Null(new RunSettings { Config = dir.Combine("b.json") }.ToConfig().TrainSize);
    }

    [Fact]
    public void A_folder_trains_on_every_image_and_the_run_says_how_many_steps()
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("parts"), TestFiles.ImageFolderFiles(classes: 3, perClass: 10, testPerClass: 2));
        var (code, output, err) = CliRunner.Run("train", "--dataset", dir.Combine("parts"), "--epochs", "3", "--batch-size", "8",
            "--cache-dir", dir.Combine("cache"), "--threads", "1", "--out", dir.Combine("run"));

        Assert.True(code == 0, err);
        using var config = JsonDocument.Parse(File.ReadAllText(dir.Combine("run", "config.json")));
        Assert.Equal(JsonValueKind.Null, config.RootElement.GetProperty("train_size").ValueKind);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.Combine("run", "summary.json")));
        Assert.Equal(24, summary.RootElement.GetProperty("train_images").GetInt32()); // 30 images, 20 % held out for validation
        Assert.Contains("24 train (every image) / 6 val / 6 test images", output);
        Assert.Contains("3 epochs × 3 steps = 9 SGD steps (batch 8)", output);
        Assert.Contains("time per epoch", output);
        Assert.Contains("for the remaining 1 epoch", output);
    }
}
