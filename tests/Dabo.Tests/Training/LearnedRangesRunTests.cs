using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.Experiments;
using Dabo.Training;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

/// <summary>A learned-affine run writes policy.json (learned ranges) and torchvision.txt; policy:FILE trains with them.</summary>
[Collection("global-rng")]
public class LearnedRangesRunTests
{
    public LearnedRangesRunTests() => TorchRuntime.Initialize();

    private static TrainingConfig Config(string data, string augment) => new()
    {
        Dataset = data,
        Model = "small-cnn",
        Augment = augment,
        TrainSize = 120,
        ValRatio = 0.2,
        Epochs = 1,
        BatchSize = 16,
        Lr = 0.05,
        Seed = 4,
        AugmenterLr = 2,
    };

    [Fact]
    public void A_learned_affine_run_writes_its_ranges_and_policy_file_reuses_them()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"), train: 150, test: 40);
        var learned = new RunDirectory(dir.Combine("learned"));
        new Trainer(Config(dir.Combine("data"), "learned-affine"), learned.Path).Run();

        var ranges = RangesFile.Read(learned.PolicyFile);
        Assert.Equal("learned-affine", ranges.Augmenter);
        Assert.Equal(1, ranges.Channels);
        Assert.Equal(0.5, ranges.ApplyProbability);
        Assert.False(ranges.Estimated);
        using var augmenter = (RangeAugmenter)LearnedAugmentation.LoadAugmenter(learned, 1, 0);
        var (c, a) = (augmenter.Centers(), augmenter.HalfWidths());
        Assert.Equal(augmenter.Specs.Select(s => s.Name), ranges.Parameters.Select(r => r.Name));
        for (int i = 0; i < ranges.Parameters.Count; i++)
        {
            var r = ranges.Parameters[i];
            var s = augmenter.Specs[i];
            Assert.True(r.Min <= r.Max, $"{r.Name}: min {r.Min} ≤ max {r.Max}");
            Assert.True(Math.Abs(r.Min - s.Identity) <= s.MaxRange && Math.Abs(r.Max - s.Identity) <= s.MaxRange, $"{r.Name} within ± {s.MaxRange}");
            Assert.Equal(s.MaxRange, r.MaxRange);
            Assert.Equal(s.Identity + (s.MaxRange * (c[i] - a[i])), r.Min, 5);
            Assert.Equal(s.Identity + (s.MaxRange * (c[i] + a[i])), r.Max, 5);
        }
        // The run moved the ranges off their start (a centre of 0, a half-width of 10 % of the maximal range).
        Assert.Contains(c, v => Math.Abs(v) > 1e-4);
        string text = File.ReadAllText(learned.File(TorchvisionText.FileName));
        Assert.Contains("v2.RandomAffine(", text);
        Assert.Contains(ranges.Parameters.Single(r => r.Name == "scale").Max.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), text);

        // policy:FILE trains a new classifier with the ranges fixed, and its preview draws within them.
        var reusedConfig = Config(dir.Combine("data"), "policy:" + learned.PolicyFile);
        var reused = new Trainer(reusedConfig, dir.Combine("reused")).Run();
        Assert.True(reused.TestAccuracy > 0);
        Assert.False(File.Exists(dir.Combine("reused", "policy.json")), "a fixed run learns nothing");

        // preview and eval --tta rebuild both runs' augmentation.
        foreach (var (config, run) in new[] { (Config(dir.Combine("data"), "learned-affine"), learned), (reusedConfig, new RunDirectory(dir.Combine("reused"))) })
        {
            using var augmentation = RunAugmentation.For(RunSpec.From(config), run, 1);
            using var scope = NewDisposeScope();
            var images = rand(8, 1, 12, 12);
            var output = augmentation.Apply(images);
            Assert.Equal(images.shape, output.shape);
        }
    }
}
