using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Operations;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// A random affine baseline with one magnitude <c>m</c> in [0, 1]: per image, uniformly, rotation
/// within ±30·m degrees, translation within ±0.25·m of the size (each axis), scale within
/// 1 ± 0.25·m and shear within ±15·m degrees (each axis) — the same transformation and default
/// ranges as the learned augmenters (both read <see cref="OperationTable.Learned"/>), so a grid
/// search over m is their fair random counterpart. Applied with
/// <see cref="Affine"/> (bilinear, padding as chosen) in [0, 1] space and rounded back to uint8.
/// </summary>
public sealed class RandomAffine : IFixedAugmentation
{
    /// <summary>The learned geometric parameters, one uniform column each (in learned order, so seeded draws stay the same).</summary>
    private static readonly LearnedOperation[] Geometric =
        [.. OperationTable.Learned.Select(o => o.Learned!).Where(l => l.IsGeometric)];

    /// <summary>Creates the augmentation.</summary>
    /// <param name="magnitude">m in [0, 1]; 0 is the identity.</param>
    /// <param name="padding">What to show outside the image (default black).</param>
    /// <exception cref="DaboException">When the magnitude is outside [0, 1].</exception>
    public RandomAffine(double magnitude, PaddingMode padding = PaddingMode.Zeros)
    {
        if (magnitude is not (>= 0 and <= 1))
        {
            throw new DaboException($"random-affine magnitude {magnitude}: must be in [0, 1]");
        }
        Magnitude = magnitude;
        Padding = padding;
    }

    /// <inheritdoc />
    public string Name => "random-affine";

    /// <summary>The magnitude m in [0, 1].</summary>
    public double Magnitude { get; }

    /// <summary>What geometric transformations show outside the image.</summary>
    public PaddingMode Padding { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
        {
            throw new ArgumentException($"images must be uint8 [N, C, H, W], got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        }
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        var u = rand(new[] { n, Geometric.Length }, generator: generator) * 2.0 - 1.0;
        var parameters = AffineParameters.Identity(n);
        for (int i = 0; i < Geometric.Length; i++)
        {
            var g = Geometric[i];
            var offset = u[.., i] * (g.Range.Default * Magnitude);
            parameters = g.Warp!(parameters, g.Identity == 0 ? offset : g.Identity + offset);
        }
        var x = images.to_type(ScalarType.Float32) / 255.0f;
        var y = Affine.Apply(x, parameters, Padding);
        return (y * 255.0f).round().clamp(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
