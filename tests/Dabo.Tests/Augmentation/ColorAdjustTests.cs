using Dabo.Augmentation.Differentiable;
using TorchSharp;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

public class ColorAdjustTests
{
    private static Tensor Rgb(float r, float g, float b) =>
        tensor(new[] { r, g, b }).reshape(1, 3, 1, 1).expand(1, 3, 2, 2).contiguous();

    public static TheoryData<string, double> Identities => new()
    {
        { "brightness", 1.0 }, { "contrast", 1.0 }, { "saturation", 1.0 }, { "hue", 0.0 }, { "hue", 1.0 }, { "hue", -2.0 },
    };

    private static Tensor Run(string op, Tensor x, Tensor p) => op switch
    {
        "brightness" => ColorAdjust.Brightness(x, p),
        "contrast" => ColorAdjust.Contrast(x, p),
        "saturation" => ColorAdjust.Saturation(x, p),
        "hue" => ColorAdjust.Hue(x, p),
        _ => throw new ArgumentException(op),
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public void IdentityParameterReturnsTheInput(string op, double identity)
    {
        using var scope = NewDisposeScope();
        var x = Random(4, 3, 6, 5);
        var y = Run(op, x, Full(4, identity));
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(x.dtype, y.dtype);
        Assert.True(MaxDiff(x, y) < 1e-5, $"{op}: max diff {MaxDiff(x, y)}");
    }

    [Theory]
    [InlineData("brightness")]
    [InlineData("contrast")]
    public void GrayscaleIdentity(string op)
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 1, 5, 5);
        Assert.True(MaxDiff(x, Run(op, x, Full(2, 1.0))) < 1e-5);
    }

    [Theory]
    [InlineData(1.0 / 3, 0f, 1f, 0f)]
    [InlineData(2.0 / 3, 0f, 0f, 1f)]
    [InlineData(1.0 + 1.0 / 3, 0f, 1f, 0f)]
    [InlineData(-1.0 / 3, 0f, 0f, 1f)]
    [InlineData(1.0 / 6, 1f, 1f, 0f)]
    public void HueShiftOfPureRed(double shift, float r, float g, float b)
    {
        using var scope = NewDisposeScope();
        var y = ColorAdjust.Hue(Rgb(1, 0, 0), Full(1, shift));
        var expected = Rgb(r, g, b);
        Assert.True(MaxDiff(y, expected) < 1e-5, $"shift {shift}: {y[0, .., 0, 0].str()}");
    }

    [Fact]
    public void HueKeepsValueAndSaturation()
    {
        using var scope = NewDisposeScope();
        var x = Random(3, 3, 4, 4);
        var y = ColorAdjust.Hue(x, tensor(new[] { 0.1f, 0.5f, 0.77f }));
        Assert.True(MaxDiff(x.amax(new long[] { 1 }), y.amax(new long[] { 1 })) < 1e-5);
        Assert.True(MaxDiff(x.amin(new long[] { 1 }), y.amin(new long[] { 1 })) < 1e-5);
        Assert.True(MaxDiff(x, y) > 0.05);
    }

    [Fact]
    public void BrightnessZeroGivesBlack()
    {
        using var scope = NewDisposeScope();
        var y = ColorAdjust.Brightness(Random(2, 3, 4, 4), Full(2, 0));
        Assert.Equal(0.0, y.abs().max().ToDouble());
    }

    [Fact]
    public void SaturationZeroGivesGrey()
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 3, 4, 4);
        var y = ColorAdjust.Saturation(x, Full(2, 0));
        var luma = 0.299 * x[.., 0] + 0.587 * x[.., 1] + 0.114 * x[.., 2];
        for (int c = 0; c < 3; c++)
        {
            Assert.True(MaxDiff(y[.., c], luma) < 1e-5);
        }
    }

    [Fact]
    public void ContrastZeroGivesTheMeanGreyLevel()
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 1, 4, 4);
        var y = ColorAdjust.Contrast(x, Full(2, 0));
        var mean = x.mean(new long[] { 1, 2, 3 }, keepdim: true).expand_as(x);
        Assert.True(MaxDiff(y, mean) < 1e-6);
        Assert.True(y[0].std().ToDouble() < 1e-6);
    }

    [Fact]
    public void OutputsAreClampedToTheUnitInterval()
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 3, 4, 4);
        foreach (var y in new[] { ColorAdjust.Brightness(x, Full(2, 3)), ColorAdjust.Contrast(x, Full(2, 3)), ColorAdjust.Saturation(x, Full(2, 3)) })
        {
            Assert.True(y.max().ToDouble() <= 1.0 && y.min().ToDouble() >= 0.0);
            Assert.Equal(1.0, y.max().ToDouble());
        }
    }

    [Theory]
    [InlineData("brightness", 1.1)]
    [InlineData("contrast", 0.9)]
    [InlineData("saturation", 0.9)]
    [InlineData("hue", 0.1)]
    public void GradientWithRespectToTheParameterIsNonZeroAndFinite(string op, double value)
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 3, 5, 5) * 0.8 + 0.1;
        var weights = Random(2, 3, 5, 5, seed: 9);
        var p = Full(2, value, requiresGrad: true);
        var xg = x.detach().requires_grad_(true);
        var grads = torch.autograd.grad(new[] { (Run(op, xg, p) * weights).sum() }, new[] { p, xg });
        foreach (var g in grads)
        {
            Assert.True(g.isfinite().all().ToBoolean(), op);
            Assert.True(g.abs().sum().ToDouble() > 0, op);
        }
        Assert.True(grads[0].abs().min().ToDouble() > 0, $"{op}: zero gradient for an image");
    }

    [Fact]
    public void HueGradientIsFiniteOnGreyPixels()
    {
        using var scope = NewDisposeScope();
        // Grey (r = g = b), black and white pixels: max = min, where a naive HSV conversion divides by zero.
        var x = tensor(new float[] { 0.5f, 0.5f, 0.5f, 0f, 0f, 0f, 1f, 1f, 1f, 0.2f, 0.2f, 0.7f }).reshape(4, 3, 1, 1).requires_grad_(true);
        var shift = Full(4, 0.3, requiresGrad: true);
        var y = ColorAdjust.Hue(x, shift);
        var grads = torch.autograd.grad(new[] { (y * tensor(new float[] { 1, 2, 3 }).reshape(1, 3, 1, 1)).sum() }, new[] { x, shift });
        Assert.True(grads[0].isfinite().all().ToBoolean(), grads[0].str());
        Assert.True(grads[1].isfinite().all().ToBoolean(), grads[1].str());
        Assert.True(MaxDiff(y[..3], x[..3]) < 1e-6, "grey pixels have no hue to shift");
        Assert.True(grads[1][3].abs().ToDouble() > 0, "the coloured pixel must pass a gradient to the shift");
    }

    [Theory]
    [InlineData("saturation")]
    [InlineData("hue")]
    public void SaturationAndHueRejectGrayscale(string op)
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 1, 4, 4);
        var e = Assert.Throws<DaboException>(() => Run(op, x, Full(2, 0.5)));
        Assert.Contains("3 channels", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
