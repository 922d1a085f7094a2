using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Training;

/// <summary>
/// End to end: test images are shifted copies of centred training glyphs; a classifier without
/// translation invariance (mlp) must learn it from the augmenter, whose translation range must grow.
/// The growth comes from the hypergradient together with the augmenter's weight decay, which pulls
/// the ranges towards half their maximum (see RangeAugmenter): a collapsed augmenter (spread → 0, as
/// the hypergradient alone produced without weight decay) fails this test.
/// </summary>
[Collection("global-rng")]
public class LearnedTranslationTests
{
    public LearnedTranslationTests() => TorchRuntime.Initialize();

    [Fact]
    public void Learned_affine_beats_none_on_shifted_test_images_and_its_translation_range_grows()
    {
        using var dir = new TempDirectory();
        ShiftedData.Write(dir.Combine("data"), trainPerClass: 30, testPerClass: 100);
        TrainingConfig Config(string augment) => new()
        {
            Dataset = dir.Combine("data"),
            Model = "mlp",
            Augment = augment,
            TrainSize = null,
            Epochs = 30,
            BatchSize = 16,
            Lr = 0.05,
            Seed = 1,
        };

        var none = new Trainer(Config("none"), dir.Combine("none")).Run();
        var learned = new Trainer(Config("learned-affine"), dir.Combine("learned")).Run();

        Assert.True(learned.TestAccuracy > none.TestAccuracy + 0.1, $"learned-affine {learned.TestAccuracy} vs none {none.TestAccuracy}");
        var metrics = new RunDirectory(dir.Combine("learned")).LoadMetrics();
        double StdOf(EpochMetrics m, string name) => m.Augmenter!.Single(a => a.Name == name).Std;
        foreach (var axis in new[] { "translate-x", "translate-y" })
        {
            Assert.True(StdOf(metrics[^1], axis) > 2 * StdOf(metrics[0], axis), $"{axis}: spread {StdOf(metrics[0], axis):F4} → {StdOf(metrics[^1], axis):F4}");
        }
    }
}
