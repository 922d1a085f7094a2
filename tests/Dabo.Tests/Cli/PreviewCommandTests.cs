using Dabo.Tests.Training;
using SkiaSharp;

namespace Dabo.Tests.Cli;

[Collection("global-rng")]
public class PreviewCommandTests
{
    private static string TrainPolicyRun(TempDirectory dir)
    {
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16",
            "--augment", "learned-policy", "--out", dir.Combine("run"), "--quiet");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(dir.Combine("run", "policy.json")));
        return dir.Combine("run");
    }

    [Fact]
    public void Preview_of_a_learned_policy_run_shows_originals_beside_policy_augmented_images()
    {
        using var dir = new TempDirectory();
        string run = TrainPolicyRun(dir);

        var (code, output, err) = CliRunner.Run("preview", "--run", run, "--images", "10", "--out", dir.Combine("preview.png"));

        Assert.True(code == 0, err);
        Assert.Contains("learned-policy", output);
        using var png = SKBitmap.Decode(dir.Combine("preview.png"));
        Assert.NotNull(png);
        // 8 tiles of 12 px per row with 2 px padding; 10 images: 2 rows of originals, each followed by a row of augmented.
        const int Tile = TrainingData.Size + 2;
        Assert.Equal((8 * Tile) + 2, png.Width);
        Assert.Equal((4 * Tile) + 2, png.Height);
        // Two slots of 13 operations rarely leave an image alone: most of the first 8 augmented tiles differ from their originals.
        int changed = Enumerable.Range(0, 8).Count(i => !SameTile(png, 2 + (i * Tile), 2, 2 + (i * Tile), 2 + Tile));
        Assert.True(changed >= 4, $"only {changed} of 8 images changed by the learned policy");
    }

    [Fact]
    public void Preview_of_a_learned_policy_run_without_policy_json_is_one_line()
    {
        using var dir = new TempDirectory();
        string run = TrainPolicyRun(dir);
        File.Delete(Path.Combine(run, "policy.json"));

        var (code, _, err) = CliRunner.Run("preview", "--run", run, "--out", dir.Combine("preview.png"));

        Assert.Equal(2, code);
        Assert.Contains("no policy.json", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(dir.Combine("preview.png")));
    }

    [Theory]
    [InlineData("0", 40)] // all training images of a dataset under 1,000, the validation share held out
    [InlineData("20", 16)]
    public void Preview_of_a_small_dataset_takes_train_s_data_flags(string trainSize, int shown)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"), train: 50, test: 10);
        string png = dir.Combine("small.png");

        var (refused, _, refusal) = CliRunner.Run("preview", "--dataset", dir.Combine("data"), "--augment", "trivialaugment", "--out", png);
        Assert.Equal(2, refused);
        Assert.Contains("--train-size 1000", refusal);

        var (code, _, err) = CliRunner.Run("preview", "--dataset", dir.Combine("data"), "--augment", "trivialaugment", "--train-size", trainSize,
            "--val-ratio", "0.2", "--data-seed", "3", "--no-flip", "--images", "64", "--out", png);
        Assert.True(code == 0, err);
        using var bitmap = SKBitmap.Decode(png);
        const int Tile = TrainingData.Size + 2;
        Assert.Equal(((2 * shown / 8) * Tile) + 2, bitmap.Height);
    }

    private static bool SameTile(SKBitmap bitmap, int x1, int y1, int x2, int y2)
    {
        for (int y = 0; y < TrainingData.Size; y++)
        {
            for (int x = 0; x < TrainingData.Size; x++)
            {
                if (bitmap.GetPixel(x1 + x, y1 + y) != bitmap.GetPixel(x2 + x, y2 + y))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
