using Dabo.Augmentation.Differentiable;
using TorchSharp;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

public class AffineTests
{
    private static AffineParameters With(long n, double tx = 0, double ty = 0, double rot = 0, double scale = 1, double shx = 0, double shy = 0) =>
        new(Full(n, tx), Full(n, ty), Full(n, rot), Full(n, scale), Full(n, shx), Full(n, shy));

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Border)]
    [InlineData(PaddingMode.Reflection)]
    public void IdentityParametersReturnTheInput(PaddingMode padding)
    {
        using var scope = NewDisposeScope();
        var x = Random(3, 3, 7, 5);
        var y = Affine.Apply(x, AffineParameters.Identity(3), padding);
        Assert.Equal(x.shape, y.shape);
        Assert.True(MaxDiff(x, y) < 1e-5, $"max diff {MaxDiff(x, y)}");
    }

    [Fact]
    public void IdentityMatrixIsExact()
    {
        using var scope = NewDisposeScope();
        var theta = Affine.Matrix(AffineParameters.Identity(2), 6, 9);
        var expected = tensor(new float[] { 1, 0, 0, 0, 1, 0 }).reshape(1, 2, 3).expand(2, 2, 3);
        Assert.True(MaxDiff(theta, expected) < 1e-7);
    }

    [Fact]
    public void RotationBy90DegreesEqualsRot90CounterClockwise()
    {
        using var scope = NewDisposeScope();
        var x = Pattern();
        var y = Affine.Apply(x, With(1, rot: 90));
        var expected = x.rot90(1, (2, 3));
        Assert.True(MaxDiff(y, expected) < 1e-5, $"max diff {MaxDiff(y, expected)}\n{y.str()}\n{expected.str()}");
        // The pattern is asymmetric, so the other direction must differ.
        Assert.True(MaxDiff(y, x.rot90(-1, (2, 3))) > 0.1);
    }

    [Fact]
    public void RotationOnNonSquareImageIsATrueRotation()
    {
        using var scope = NewDisposeScope();
        // A 180° rotation of any rectangle maps pixel centres onto pixel centres: it is a flip of both axes.
        var x = Random(2, 1, 4, 6);
        var y = Affine.Apply(x, With(2, rot: 180));
        Assert.True(MaxDiff(y, x.flip(2, 3)) < 1e-5);
    }

    [Fact]
    public void TranslationByOnePixelMovesThePattern()
    {
        using var scope = NewDisposeScope();
        var x = Pattern();
        var right = Affine.Apply(x, With(1, tx: 0.25), PaddingMode.Zeros);
        var expectedRight = zeros_like(x);
        expectedRight[.., .., .., 1..] = x[.., .., .., ..3];
        Assert.True(MaxDiff(right, expectedRight) < 1e-5, $"{right.str()}");

        var down = Affine.Apply(x, With(1, ty: 0.25), PaddingMode.Zeros);
        var expectedDown = zeros_like(x);
        expectedDown[.., .., 1..] = x[.., .., ..3];
        Assert.True(MaxDiff(down, expectedDown) < 1e-5, $"{down.str()}");
    }

    [Fact]
    public void ScaleEnlargesAboutTheCentre()
    {
        using var scope = NewDisposeScope();
        // A centred 2×2 white square in an 8×8 black image, scaled ×2, covers the centre 4×4.
        var x = zeros(1, 1, 8, 8);
        x[.., .., 3..5, 3..5] = tensor(1.0f);
        var y = Affine.Apply(x, With(1, scale: 2));
        Assert.True(y[0, 0, 2..6, 2..6].min().ToSingle() > 0.2f);
        Assert.True(y[0, 0, 0, 0].ToSingle() == 0f);
        Assert.True(y.sum().ToSingle() > 2 * x.sum().ToSingle());
    }

    [Fact]
    public void ShearXMovesLowerRowsRight()
    {
        using var scope = NewDisposeScope();
        // x' = x + tan(45°)·y: a vertical line through the centre becomes a diagonal leaning right at the bottom.
        var x = zeros(1, 1, 9, 9);
        x[.., .., .., 4] = tensor(1.0f);
        var y = Affine.Apply(x, With(1, shx: 45));
        Assert.True(y[0, 0, 8, 8].ToSingle() > 0.9f, y.str());
        Assert.True(y[0, 0, 0, 0].ToSingle() > 0.9f, y.str());
        Assert.True(y[0, 0, 4, 4].ToSingle() > 0.9f, y.str());
    }

    [Fact]
    public void PaddingModesDifferOutsideTheImage()
    {
        using var scope = NewDisposeScope();
        var x = Pattern() * 0.9 + 0.05;
        var zerosPad = Affine.Apply(x, With(1, tx: 0.25), PaddingMode.Zeros);
        var border = Affine.Apply(x, With(1, tx: 0.25), PaddingMode.Border);
        Assert.Equal(0f, zerosPad[0, 0, 0, 0].ToSingle());
        Assert.Equal(x[0, 0, 0, 0].ToSingle(), border[0, 0, 0, 0].ToSingle(), 5);
    }

    [Fact]
    public void GradientReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 3, 8, 8);
        var weights = Random(2, 3, 8, 8, seed: 7);
        var ps = new[] { Full(2, 0.05, true), Full(2, -0.05, true), Full(2, 10, true), Full(2, 1.1, true), Full(2, 5, true), Full(2, -5, true) };
        var y = Affine.Apply(x, new AffineParameters(ps[0], ps[1], ps[2], ps[3], ps[4], ps[5]), PaddingMode.Reflection);
        var grads = torch.autograd.grad(new[] { (y * weights).sum() }, ps);
        foreach (var g in grads)
        {
            Assert.True(g.isfinite().all().ToBoolean());
            Assert.True(g.abs().sum().ToDouble() > 0);
        }
    }

    [Fact]
    public void WorksInDoublePrecision()
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 1, 5, 5, dtype: ScalarType.Float64);
        var y = Affine.Apply(x, AffineParameters.Identity(2, ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.True(MaxDiff(x, y) < 1e-10);
    }
}
