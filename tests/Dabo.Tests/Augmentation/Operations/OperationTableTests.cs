using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Operations;
using Dabo.Augmentation.Policies;
using Dabo.Tests.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Operations;

/// <summary>Properties every entry of the table of operations must have.</summary>
public class OperationTableTests
{
    public static TheoryData<string> AllNames => [.. OperationTable.All.Select(o => o.Name)];

    public static TheoryData<string> WithIdentity => [.. OperationTable.All.Where(o => o.IdentityMagnitude is not null).Select(o => o.Name)];

    public static TheoryData<string> GrayNames => [.. OperationTable.All.Where(o => !o.NeedsRgb).Select(o => o.Name)];

    public static TheoryData<string> RgbOnly => [.. OperationTable.All.Where(o => o.NeedsRgb).Select(o => o.Name)];

    private static Tensor Run(string name, Tensor images, double magnitude, long seed = 0)
    {
        var n = images.shape[0];
        using var g = new Generator((ulong)seed);
        using var positions = rand([n, 2], generator: g);
        using var magnitudes = full([n], magnitude, dtype: ScalarType.Float64);
        return OperationTable.Get(name).ApplyChecked(images, magnitudes, positions);
    }

    private static double Strong(Operation op) => op.Range is { } r ? r.At(20, 31) : 0;

    [Fact]
    public void NamesAreUniqueAndThePolicySetIsTrivialAugmentWide()
    {
        Assert.Equal(OperationTable.All.Count, OperationTable.All.Select(o => o.Name).Distinct().Count());
        string[] wide = ["identity", "shear-x", "shear-y", "translate-x", "translate-y", "rotate", "brightness", "color", "contrast", "sharpness", "posterize", "solarize", "autocontrast", "equalize"];
        Assert.Equal(wide, OperationTable.PolicySet(3).Select(o => o.Name));
        Assert.Equal(wide.Where(n => n != "color"), OperationTable.PolicySet(1).Select(o => o.Name));
    }

    [Fact]
    public void TrivialAugmentWideRangesMatchTorchvisionLinspace()
    {
        // torchvision: linspace(0, 0.99, 31), linspace(0, 135, 31), 8 − round(bin / 5), linspace(255, 0, 31).
        var space = PolicySpace.TrivialAugmentWide(3);
        double At(string name, int bin) => space.Entries[space.IndexOf(name)].Range!.At(bin, 31);
        Assert.Equal(0.99 * 7 / 30, At("shear-x", 7), 12);
        Assert.Equal(135.0 * 30 / 30, At("rotate", 30), 12);
        Assert.Equal(8 - Math.Round(13 / 5.0), At("posterize", 13));
        Assert.Equal(2, At("posterize", 30));
        Assert.Equal((255.0 - 255.0 * 12 / 30) / 255, At("solarize", 12), 12);
        // RandAugment: posterize 8 − round(bin / 7.5), shear 0.3.
        var ra = PolicySpace.RandAugmentRanges(3);
        Assert.Equal(8 - Math.Round(9 / 7.5), ra.Entries[ra.IndexOf("posterize")].Range!.At(9, 31));
        Assert.Equal(0.3 * 9 / 30, ra.Entries[ra.IndexOf("shear-x")].Range!.At(9, 31), 12);
    }

    [Theory]
    [MemberData(nameof(WithIdentity))]
    public void IdentityMagnitudeLeavesImagesBitIdentical(string name)
    {
        using var images = TestImages.Random(5, 3, 17, 19);
        var op = OperationTable.Get(name);
        using var output = Run(name, images, op.IdentityMagnitude!.Value);
        Assert.True(TestImages.Same(images, output));
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void KeepsShapeDtypeAndInputAndChangesSomething(string name)
    {
        using var images = TestImages.Random(8, 3, 16, 16);
        using var before = images.clone();
        var op = OperationTable.Get(name);
        using var output = Run(name, images, Strong(op));
        Assert.Equal(images.shape, output.shape);
        Assert.Equal(ScalarType.Byte, output.dtype);
        Assert.True(TestImages.Same(images, before), "the input was modified");
        Assert.Equal(name == "identity", TestImages.Same(images, output));
    }

    [Theory]
    [MemberData(nameof(GrayNames))]
    public void GrayscaleWorksChannelByChannel(string name)
    {
        // On a grey image stored as 3 equal channels, every operation but colour and hue keeps the channels equal
        // and gives what it gives on the 1-channel image.
        using var gray = TestImages.Random(6, 1, 16, 16);
        using var rgb = gray.expand(-1, 3, -1, -1).contiguous();
        var op = OperationTable.Get(name);
        using var one = Run(name, gray, Strong(op));
        using var three = Run(name, rgb, Strong(op));
        Assert.Equal(gray.shape, one.shape);
        using var first = three.narrow(1, 0, 1);
        if (name is not "contrast")
        {
            Assert.True(TestImages.Same(one, first));
        }
        else
        {
            // The RGB grey level is truncated to whole levels (0.2989 + 0.587 + 0.114 = 0.9999): within one level.
            using var diff = (one.to_type(ScalarType.Int32) - first.to_type(ScalarType.Int32)).abs().max();
            Assert.InRange(diff.item<int>(), 0, 1);
        }
    }

    [Theory]
    [MemberData(nameof(RgbOnly))]
    public void RgbOperationsRefuseGrayscaleWithOneLine(string name)
    {
        using var gray = TestImages.Random(2, 1, 8, 8);
        var e = Assert.Throws<DaboException>(() => Run(name, gray, 0.5));
        Assert.Contains(name, e.Message);
        Assert.Contains("RGB", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AMixedBatchEqualsTheImagesDoneOneByOne()
    {
        using var scope = NewDisposeScope();
        var ops = OperationTable.All;
        var n = ops.Count * 2;
        var images = TestImages.Random(n, 3, 20, 20, seed: 11);
        var choices = arange(n, dtype: ScalarType.Int64).remainder(ops.Count).flip(0).contiguous();
        var g = new Generator(3);
        var magnitudes = (rand([n], generator: g, dtype: ScalarType.Float64) - 0.5) * 0.6;
        var positions = rand([n, 2], generator: g);
        var mixed = MixedOperations.Apply(images, ops, choices, magnitudes, positions);
        var chosen = choices.data<long>().ToArray();
        for (int i = 0; i < n; i++)
        {
            var single = ops[(int)chosen[i]].ApplyChecked(images.narrow(0, i, 1), magnitudes.narrow(0, i, 1), positions.narrow(0, i, 1));
            Assert.True(TestImages.Same(single, mixed.narrow(0, i, 1)), $"image {i} ({ops[(int)chosen[i]].Name}) differs");
        }
    }

    [Fact]
    public void CropShiftsByWholePixelsWithinThePadding()
    {
        using var scope = NewDisposeScope();
        // A dot at (8, 8) of a 16×16 image; crop magnitude 0.25 pads 4 pixels: the dot moves by at most 4 per axis.
        var images = zeros([64, 1, 16, 16], dtype: ScalarType.Byte);
        images[.., .., 8, 8] = tensor((byte)255);
        var output = Run("crop", images, 0.25, seed: 5);
        var found = output.view(64, -1).argmax(1).data<long>().ToArray();
        var moves = found.Select(f => (Dy: f / 16 - 8, Dx: f % 16 - 8)).ToList();
        Assert.All(moves, m => Assert.True(Math.Abs(m.Dx) <= 4 && Math.Abs(m.Dy) <= 4));
        Assert.Contains(moves, m => m.Dx == -4);
        Assert.Contains(moves, m => m.Dx == 4);
        Assert.Equal(64, output.to_type(ScalarType.Int64).sum().item<long>() / 255);
    }

    [Fact]
    public void CutoutBlacksOutOneSquareOfTheStatedSide()
    {
        using var scope = NewDisposeScope();
        var images = full([1, 1, 20, 20], 200, dtype: ScalarType.Byte);
        var positions = tensor(new float[] { 0.5f, 0.5f }).view(1, 2);
        var output = OperationTable.Get("cutout").ApplyChecked(images, tensor(new[] { 0.25 }), positions);
        // Side 0.25 × 20 = 5 pixels, centred at (10, 10): rows and columns 8 to 12.
        Assert.Equal(25, (output == 0).sum().item<long>());
        Assert.Equal(0, output[0, 0, 8, 8].item<byte>());
        Assert.Equal(0, output[0, 0, 12, 12].item<byte>());
        Assert.Equal(200, output[0, 0, 13, 12].item<byte>());
    }

    [Fact]
    public void OneSlotUniformPolicyIsTrivialAugment()
    {
        using var images = TestImages.Random(32, 3, 16, 16);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        using var a = new UniformPolicy(slots: 1).Apply(images, g1);
        using var b = new TrivialAugment().Apply(images, g2);
        Assert.True(TestImages.Same(a, b));
    }

    [Fact]
    public void UniformPolicyDrawsEveryOperationAndBothSigns()
    {
        // 2 slots × 4,000 images: each of the 14 operations about 570 times, its sign about half of them negative.
        using var scope = NewDisposeScope();
        var space = PolicySpace.TrivialAugmentWide(3);
        using var g = new Generator(1);
        using var distribution = new PolicyDistribution(space, 2);
        using var draw = distribution.Sample(4000, g);
        var counts = draw.Operations.view(-1).bincount(null, space.Count).data<long>().ToArray();
        Assert.All(counts, c => Assert.InRange(c, 450, 700));
        var magnitudes = space.Magnitudes(draw.Operations, draw.Bins, draw.Negate);
        var rotate = draw.Operations == space.IndexOf("rotate");
        var negative = (magnitudes < 0).logical_and(rotate).sum().item<long>();
        var positive = (magnitudes > 0).logical_and(rotate).sum().item<long>();
        Assert.InRange(negative / (double)(negative + positive), 0.4, 0.6);
        Assert.True(magnitudes.max().item<double>() <= 135 + 1e-9);
    }

    [Fact]
    public void AMixedBatchRefusesColourOperationsOnGrayscale()
    {
        using var gray = TestImages.Random(2, 1, 8, 8);
        var ops = OperationTable.PolicySet(3);
        using var choices = full([2], (long)ops.ToList().FindIndex(o => o.Name == "color"), dtype: ScalarType.Int64);
        using var magnitudes = zeros(2, dtype: ScalarType.Float64);
        using var positions = zeros(2, 2);
        var e = Assert.Throws<DaboException>(() => MixedOperations.Apply(gray, ops, choices, magnitudes, positions));
        Assert.Contains("color", e.Message);
    }
}
