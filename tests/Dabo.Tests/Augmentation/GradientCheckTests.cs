using Dabo.Augmentation.Differentiable;
using TorchSharp;
using static Dabo.Tests.Augmentation.TransformTestData;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

/// <summary>Analytic gradients against central finite differences, in double precision.</summary>
public class GradientCheckTests
{
    private static Tensor Loss(string op, Tensor x, Tensor p, Tensor weights)
    {
        var n = x.shape[0];
        var zero = zeros(n, dtype: ScalarType.Float64);
        var one = ones(n, dtype: ScalarType.Float64);
        var y = op switch
        {
            "rotate" => Affine.Apply(x, new AffineParameters(zero, zero, p, one, zero, zero), PaddingMode.Border),
            "translate" => Affine.Apply(x, new AffineParameters(p, zero, zero, one, zero, zero), PaddingMode.Border),
            "scale" => Affine.Apply(x, new AffineParameters(zero, zero, zero, p, zero, zero), PaddingMode.Border),
            "shear" => Affine.Apply(x, new AffineParameters(zero, zero, zero, one, p, zero), PaddingMode.Border),
            "hue" => ColorAdjust.Hue(x, p),
            "saturation" => ColorAdjust.Saturation(x, p),
            "contrast" => ColorAdjust.Contrast(x, p),
            _ => ColorAdjust.Brightness(x, p),
        };
        return (y * weights).sum();
    }

    [Theory]
    [InlineData("rotate", 7.0)]
    [InlineData("translate", 0.03)]
    [InlineData("scale", 1.07)]
    [InlineData("shear", 4.0)]
    [InlineData("hue", 0.13)]
    [InlineData("saturation", 0.8)]
    [InlineData("contrast", 0.8)]
    [InlineData("brightness", 0.9)]
    public void AnalyticGradientMatchesFiniteDifferences(string op, double value)
    {
        using var scope = NewDisposeScope();
        var x = Random(2, 3, 9, 9, dtype: ScalarType.Float64) * 0.6 + 0.2;
        var weights = Random(2, 3, 9, 9, seed: 5, dtype: ScalarType.Float64) - 0.5;
        var p = Full(2, value, requiresGrad: true, dtype: ScalarType.Float64);
        var analytic = torch.autograd.grad(new[] { Loss(op, x, p, weights) }, new[] { p })[0].sum().ToDouble();

        const double h = 1e-6;
        double plus, minus;
        using (no_grad())
        {
            plus = Loss(op, x, Full(2, value + h, dtype: ScalarType.Float64), weights).ToDouble();
            minus = Loss(op, x, Full(2, value - h, dtype: ScalarType.Float64), weights).ToDouble();
        }
        double numeric = (plus - minus) / (2 * h);
        Assert.True(Math.Abs(numeric) > 1e-6, $"{op}: the check is vacuous");
        Assert.True(Math.Abs(analytic - numeric) <= 1e-4 * Math.Max(1, Math.Abs(numeric)), $"{op}: analytic {analytic} vs numeric {numeric}");
    }
}
