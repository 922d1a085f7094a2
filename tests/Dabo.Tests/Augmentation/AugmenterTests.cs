using Dabo.Augmentation.Learned;
using TorchSharp;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

public class AugmenterTests
{
    public static TheoryData<string, AugmenterParametrization> AllKinds()
    {
        var data = new TheoryData<string, AugmenterParametrization>();
        foreach (var name in AugmenterFactory.Names)
        {
            data.Add(name, AugmenterParametrization.Mlp);
            data.Add(name, AugmenterParametrization.Ranges);
        }
        return data;
    }

    private static Augmenter Create(string name, AugmenterParametrization parametrization, double probability = 1.0, int channels = 3, long seed = 3) =>
        AugmenterFactory.Create(name, channels, new AugmenterOptions { Parametrization = parametrization, ApplyProbability = probability, Seed = seed });

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void PreservesShapeAndDtypeAndStaysInRange(string name, AugmenterParametrization parametrization)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create(name, parametrization);
        var x = Random(5, 3, 8, 8);
        var result = augmenter.Augment(x);
        Assert.Equal(x.shape, result.Images.shape);
        Assert.Equal(x.dtype, result.Images.dtype);
        Assert.Equal(new long[] { 5, augmenter.Specs.Count }, result.Parameters.shape);
        Assert.True(result.Images.min().ToSingle() >= 0f && result.Images.max().ToSingle() <= 1f);
        Assert.True(result.Parameters.isfinite().all().ToBoolean());
        var forward = augmenter.forward(x);
        Assert.Equal(x.shape, forward.shape);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void ParametersStayWithinTheirRanges(string name, AugmenterParametrization parametrization)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create(name, parametrization);
        using (no_grad())
        {
            // Push the learned parameters far out: outputs must still respect identity ± maxRange.
            foreach (var p in augmenter.parameters())
            {
                p.mul_(1000).add_(5);
            }
        }
        var noise = rand(256, augmenter.NoiseSize) * 2 - 1;
        var values = augmenter.GenerateParameters(noise);
        for (int i = 0; i < augmenter.Specs.Count; i++)
        {
            var s = augmenter.Specs[i];
            var deviation = (values[.., i] - s.Identity).abs().max().ToDouble();
            Assert.True(deviation <= s.MaxRange * (1 + 1e-6), $"{s.Name}: {deviation} > {s.MaxRange}");
        }
    }

    [Fact]
    public void DoublePrecisionImagesKeepTheirDtype()
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine-color", AugmenterParametrization.Ranges);
        var x = Random(2, 3, 6, 6, dtype: ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, augmenter.forward(x).dtype);
    }

    [Theory]
    [InlineData("learned-affine")]
    [InlineData("learned-affine-color")]
    [InlineData("learned-color")]
    public void MlpStartsCloseToTheIdentity(string name)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create(name, AugmenterParametrization.Mlp);
        var x = Random(8, 3, 16, 16);
        var result = augmenter.Augment(x);
        for (int i = 0; i < augmenter.Specs.Count; i++)
        {
            var s = augmenter.Specs[i];
            var deviation = (result.Parameters[.., i] - s.Identity).abs().max().ToDouble();
            Assert.True(deviation < 0.02 * s.MaxRange, $"{s.Name}: {deviation}");
        }
        var diff = (result.Images - x).abs().mean().ToDouble();
        Assert.True(diff < 0.02, $"mean |A(x) − x| = {diff}");
    }

    [Fact]
    public void RangesStartNearTheIdentityButRandom()
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine", AugmenterParametrization.Ranges);
        var x = Random(1, 3, 16, 16).expand(2, 3, 16, 16).contiguous();
        var result = augmenter.Augment(x);
        // Identical images come out different: each has its own noise.
        Assert.True(MaxDiff(result.Images[0], result.Images[1]) > 1e-3);
        for (int i = 0; i < augmenter.Specs.Count; i++)
        {
            var s = augmenter.Specs[i];
            var deviation = (result.Parameters[.., i] - s.Identity).abs().max().ToDouble();
            Assert.True(deviation <= 0.1 * s.MaxRange + 1e-6, $"{s.Name}: {deviation}");
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void DescribeReportsEveryParameterWithNonZeroSpread(string name, AugmenterParametrization parametrization)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create(name, parametrization);
        var stats = augmenter.Describe(256);
        Assert.Equal(augmenter.Specs.Select(s => s.Name), stats.Select(s => s.Name));
        Assert.All(stats, s => Assert.True(s.Std > 0 && double.IsFinite(s.Mean), $"{s.Name}: std {s.Std}"));
        Assert.Contains(stats, s => s.Unit is "deg" or "fraction" or "factor" or "turn");
        // Private generator: describing twice gives the same numbers and leaves the training stream alone.
        Assert.Equal(stats, augmenter.Describe(256));
    }

    [Fact]
    public void DescribeUsesUnitsOfTheSpecs()
    {
        using var augmenter = Create("learned-affine-color", AugmenterParametrization.Ranges);
        var units = augmenter.Describe().ToDictionary(s => s.Name, s => s.Unit);
        Assert.Equal("fraction", units["translate-x"]);
        Assert.Equal("deg", units["rotate"]);
        Assert.Equal("factor", units["scale"]);
        Assert.Equal("turn", units["hue"]);
    }

    [Theory]
    [InlineData(AugmenterParametrization.Mlp)]
    [InlineData(AugmenterParametrization.Ranges)]
    public void ProbabilityZeroReturnsTheInputExactly(AugmenterParametrization parametrization)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine-color", parametrization, probability: 0);
        var x = Random(6, 3, 8, 8);
        var y = augmenter.forward(x);
        Assert.True(Identical(y, x));
    }

    [Fact]
    public void PartialProbabilityLeavesSomeImagesBitIdentical()
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine", AugmenterParametrization.Ranges, probability: 0.5);
        var x = Random(64, 3, 8, 8);
        var result = augmenter.Augment(x);
        long augmented = result.Mask.sum().ToInt64();
        Assert.InRange(augmented, 16, 48);
        var same = (result.Images == x).flatten(1).all(1);
        Assert.True(Identical(same, result.Mask.logical_not()));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void GradientsFlowToEveryAugmenterParameter(string name, AugmenterParametrization parametrization)
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create(name, parametrization);
        var x = Random(8, 3, 8, 8) * 0.8 + 0.1;
        var weights = Random(8, 3, 8, 8, seed: 11) - 0.5;
        var loss = (augmenter.forward(x) * weights).sum();
        var parameters = augmenter.parameters().Cast<Tensor>().ToList();
        Assert.NotEmpty(parameters);
        var grads = torch.autograd.grad(new[] { loss }, parameters);
        foreach (var (p, g) in augmenter.named_parameters().Select(np => np.name).Zip(grads))
        {
            Assert.True(g.isfinite().all().ToBoolean(), p);
            Assert.True(g.abs().sum().ToDouble() > 0, $"{name}/{parametrization}: zero gradient for {p}");
        }
    }

    [Fact]
    public void SameSeedGivesTheSameAugmentationAndGeneratorStateRestores()
    {
        using var scope = NewDisposeScope();
        using var a = Create("learned-affine", AugmenterParametrization.Mlp, seed: 5);
        using var b = Create("learned-affine", AugmenterParametrization.Mlp, seed: 5);
        var x = Random(4, 3, 8, 8);
        Assert.True(Identical(a.forward(x), b.forward(x)));

        var state = a.GetGeneratorState();
        var first = a.forward(x);
        a.SetGeneratorState(state);
        Assert.True(Identical(first, a.forward(x)));
        Assert.False(Identical(first, a.forward(x)));
    }

    [Fact]
    public void ReusingADrawReproducesTheAugmentation()
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine", AugmenterParametrization.Ranges);
        var x = Random(4, 3, 8, 8);
        var draw = augmenter.Draw(4);
        Assert.True(Identical(augmenter.Augment(x, draw).Images, augmenter.Augment(x, draw).Images));
    }

    [Theory]
    [InlineData("learned-affine-color")]
    [InlineData("learned-color")]
    public void ColourKindsRejectGrayscale(string name)
    {
        var e = Assert.Throws<DaboException>(() => Create(name, AugmenterParametrization.Mlp, channels: 1));
        Assert.Contains("3 channels", e.Message);
    }

    [Fact]
    public void GrayscaleGeometryWorks()
    {
        using var scope = NewDisposeScope();
        using var augmenter = Create("learned-affine", AugmenterParametrization.Ranges, channels: 1);
        var x = Random(3, 1, 8, 8);
        Assert.Equal(x.shape, augmenter.forward(x).shape);
        Assert.Throws<DaboException>(() => augmenter.forward(Random(3, 3, 8, 8)));
    }

    [Fact]
    public void UnknownNameAndBadOptionsAreUserErrors()
    {
        var e = Assert.Throws<DaboException>(() => AugmenterFactory.Create("learned-nothing", 3, new AugmenterOptions()));
        Assert.Contains("learned-affine", e.Message);
        Assert.Throws<DaboException>(() => AugmenterFactory.Create("learned-affine", 3, new AugmenterOptions { ApplyProbability = 1.5 }));
        Assert.Throws<DaboException>(() => AugmenterFactory.Create("learned-affine", 3, new AugmenterOptions { MaxScaleChange = 1 }));
    }

    [Fact]
    public void ReferenceArchitecturesKeepTheirSizes()
    {
        using var affine = Create("learned-affine", AugmenterParametrization.Mlp);
        Assert.Equal(6, affine.NoiseSize);
        Assert.Equal(6 * 6 + 6 + 6 * 60 + 60 + 60 * 6 + 6, affine.parameters().Sum(p => p.numel()));
        using var color = Create("learned-affine-color", AugmenterParametrization.Mlp);
        Assert.Equal(10, color.NoiseSize);
        Assert.Equal(10 * 10 + 10 + 10 * 100 + 100 + 100 * 10 + 10, color.parameters().Sum(p => p.numel()));
    }
}
