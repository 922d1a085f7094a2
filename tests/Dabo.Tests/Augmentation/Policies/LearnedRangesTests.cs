using System.Text.Json.Nodes;
using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Policies;

/// <summary>policy.json of learned augmenters (dabo-ranges-v1), its replay by policy:FILE, and its torchvision text.</summary>
[Collection("global-rng")]
public class LearnedRangesTests
{
    private static Augmenter Create(string kind, AugmenterParametrization parametrization, int channels = 3, double probability = 0.5) =>
        AugmenterFactory.Create(kind, channels, new AugmenterOptions { Parametrization = parametrization, ApplyProbability = probability, Seed = 5, InitialSpread = 0.3 });

    /// <summary>Moves the centres and half-widths away from their start, to values a test can recognize.</summary>
    private static void Perturb(Augmenter augmenter, int seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var p in augmenter.parameters())
        {
            p.add_(rand(p.shape, generator: generator) * 2 - 1);
        }
    }

    [Fact]
    public void Ranges_of_a_ranges_augmenter_are_its_centres_plus_minus_its_half_widths_and_round_trip()
    {
        using var augmenter = (RangeAugmenter)Create("learned-affine-color", AugmenterParametrization.Ranges);
        Perturb(augmenter, 1);
        var ranges = LearnedRanges.Of(augmenter);
        Assert.False(ranges.Estimated);
        var (c, a) = (augmenter.Centers(), augmenter.HalfWidths());
        for (int i = 0; i < augmenter.Specs.Count; i++)
        {
            var spec = augmenter.Specs[i];
            var r = ranges.Parameters[i];
            Assert.Equal(spec.Name, r.Name);
            Assert.Equal(spec.Identity + (spec.MaxRange * (c[i] - a[i])), r.Min, 5);
            Assert.Equal(spec.Identity + (spec.MaxRange * (c[i] + a[i])), r.Max, 5);
            Assert.True(r.Min < r.Max, $"{r.Name}: {r.Min} < {r.Max}");
            Assert.True(Math.Abs(r.Min - r.Identity) <= r.MaxRange + 1e-6 && Math.Abs(r.Max - r.Identity) <= r.MaxRange + 1e-6, r.Name);
        }

        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        RangesFile.Write(ranges, file);
        var read = RangesFile.Read(file);
        Assert.Equal(ranges.Augmenter, read.Augmenter);
        Assert.Equal(3, read.Channels);
        Assert.Equal(0.5, read.ApplyProbability);
        Assert.Equal(PaddingMode.Zeros, read.Padding);
        Assert.False(read.Estimated);
        for (int i = 0; i < ranges.Parameters.Count; i++)
        {
            Assert.Equal(ranges.Parameters[i].Min, read.Parameters[i].Min, 6);
            Assert.Equal(ranges.Parameters[i].Max, read.Parameters[i].Max, 6);
            Assert.Equal(ranges.Parameters[i].MaxRange, read.Parameters[i].MaxRange);
        }
    }

    [Fact]
    public void Replayed_ranges_draw_within_the_file_and_match_the_augmenter_in_distribution()
    {
        using var augmenter = Create("learned-affine", AugmenterParametrization.Ranges, channels: 1, probability: 0.3);
        Perturb(augmenter, 2);
        var ranges = LearnedRanges.Of(augmenter);
        var replay = new RangesAugmentation(ranges, "policy:test");
        using var generator = new Generator(7);
        var (mask, values) = replay.Sample(20000, generator);
        using (mask)
        using (values)
        {
            Assert.Equal(0.3, mask.to_type(ScalarType.Float64).mean().item<double>(), 1);
            var described = augmenter.Describe(20000);
            for (int i = 0; i < ranges.Parameters.Count; i++)
            {
                var r = ranges.Parameters[i];
                var column = values[.., i];
                Assert.True(column.min().item<double>() >= r.Min && column.max().item<double>() <= r.Max, r.Name);
                // Uniform on [min, max], like the augmenter: same mean and spread (to 3 % of the range).
                double tolerance = 0.03 * (r.Max - r.Min) + 1e-9;
                Assert.InRange(column.mean().item<double>() - described[i].Mean, -tolerance, tolerance);
                Assert.InRange(column.std().item<double>() - described[i].Std, -tolerance, tolerance);
            }
        }

        // On images: unchanged where not drawn, changed somewhere, uint8 of the same shape.
        using var scope = NewDisposeScope();
        var images = randint(0, 256, new long[] { 64, 1, 10, 10 }, dtype: ScalarType.Byte, generator: generator);
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        var output = replay.Apply(images, g1);
        var (drawn, _) = replay.Sample(64, g2);
        Assert.Equal(images.shape, output.shape);
        Assert.Equal(ScalarType.Byte, output.dtype);
        var same = output.eq(images).view(64, -1).all(1);
        Assert.True(same.logical_or(drawn).all().item<bool>(), "images not drawn pass untouched");
        Assert.False(same.all().item<bool>(), "some images change");
    }

    [Fact]
    public void Ranges_of_an_mlp_augmenter_are_estimated_and_cover_most_draws()
    {
        // The MLP's initial weights come from the global generator: seeded, so the test is the same every run.
        manual_seed(7);
        using var augmenter = Create("learned-affine", AugmenterParametrization.Mlp, channels: 1);
        Perturb(augmenter, 3);
        var ranges = LearnedRanges.Of(augmenter);
        Assert.True(ranges.Estimated);
        Assert.Equal(LearnedRanges.DefaultCoverage, ranges.Coverage);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var draws = new Generator(11);
        var values = augmenter.GenerateParameters(rand([4000, augmenter.NoiseSize], generator: draws) * 2 - 1).to_type(ScalarType.Float64);
        for (int i = 0; i < ranges.Parameters.Count; i++)
        {
            var r = ranges.Parameters[i];
            Assert.True(r.Min <= r.Max && Math.Abs(r.Min - r.Identity) <= r.MaxRange && Math.Abs(r.Max - r.Identity) <= r.MaxRange, r.Name);
            double inside = values[.., i].ge(r.Min).logical_and(values[.., i].le(r.Max)).to_type(ScalarType.Float64).mean().item<double>();
            // 95 % of the draws, or more where a parameter piles up at its clamp (ties at the bound).
            Assert.InRange(inside, 0.92, 1.0);
        }
        using var dir = new TempDirectory();
        RangesFile.Write(ranges, dir.Combine("policy.json"));
        var json = JsonNode.Parse(File.ReadAllText(dir.Combine("policy.json")))!;
        Assert.True(json["estimated"]!.GetValue<bool>());
        Assert.Contains("percentiles", json["estimate"]!.GetValue<string>());
        Assert.Equal("mlp", json["parametrization"]!.GetValue<string>());
    }

    private static LearnedRanges Sample() => new("learned-affine-color", AugmenterParametrization.Ranges, 3, 0.5, PaddingMode.Zeros, false, null, null,
    [
        new("translate-x", "fraction", 0, -0.05, 0.05, 0.25),
        new("translate-y", "fraction", 0, -0.02, 0.04, 0.25),
        new("rotate", "deg", 0, -12.3, 8.1, 30),
        new("scale", "factor", 1, 0.9, 1.1, 0.25),
        new("shear-x", "deg", 0, -3, 5, 15),
        new("brightness", "factor", 1, 0.8, 1.2, 0.5),
        new("hue", "turn", 0, -0.1, 0.05, 0.5),
    ]);

    [Fact]
    public void Torchvision_text_of_ranges_has_the_learned_numbers_and_says_where_it_differs()
    {
        string text = TorchvisionText.For(Sample(), "runs/x/policy.json");
        Assert.Contains("from torchvision.transforms import v2", text);
        Assert.Contains("v2.RandomApply([", text);
        Assert.Contains("], p=0.5)", text);
        Assert.Contains("v2.ColorJitter(brightness=(0.8, 1.2), hue=(-0.1, 0.05))", text);
        Assert.Contains("degrees=(-12.3, 8.1)", text);
        Assert.Contains("translate=(0.05, 0.04)", text);
        Assert.Contains("scale=(0.9, 1.1)", text);
        Assert.Contains("shear=(-5, 3, 0, 0)", text);
        Assert.Contains("interpolation=v2.InterpolationMode.BILINEAR", text);
        // The asymmetric vertical shift is not expressible: a comment says so, with the learned interval.
        var notes = text.Split('\n').Where(l => l.StartsWith("# - ", StringComparison.Ordinal)).ToList();
        Assert.Contains(notes, l => l.Contains("[-0.02, 0.04]") && l.Contains("vertical"));
        Assert.DoesNotContain(notes, l => l.Contains("horizontal shift"));
        Assert.Contains(notes, l => l.Contains("random order"));
        // Every line that is not a comment is Python of the transform (no prose outside comments).
        Assert.All(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')), l =>
            Assert.Matches(@"^(from |augment = |    v2\.|\], p=)", l));
    }

    [Fact]
    public void Torchvision_text_of_a_policy_lists_each_slot_and_says_torchvision_cannot_weight_it()
    {
        using var policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(3), 2);
        using (no_grad())
        {
            policy.OperationLogits[0, policy.Space.IndexOf("rotate")] = tensor(3.0);
        }
        string text = TorchvisionText.For(policy);
        Assert.Contains("no weighted TrivialAugment", text);
        Assert.Contains("prior = v2.Compose([v2.TrivialAugmentWide(num_magnitude_bins=31), v2.TrivialAugmentWide(num_magnitude_bins=31)])", text);
        var slot1 = text.Split('\n').Single(l => l.StartsWith("# slot 1:", StringComparison.Ordinal));
        Assert.StartsWith("# slot 1: rotate ", slot1);
        Assert.Contains(" deg)", slot1);
        Assert.Contains("# slot 2: ", text);
        Assert.DoesNotContain("# - ", text);

        using var gray = new PolicyDistribution(PolicySpace.TrivialAugmentWide(1), 1);
        string grayText = TorchvisionText.For(gray);
        Assert.Contains("prior = v2.TrivialAugmentWide(num_magnitude_bins=31)\n", grayText);
        Assert.Contains("leaves out colour", grayText);
    }
}
