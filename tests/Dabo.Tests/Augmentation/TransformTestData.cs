using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation;

/// <summary>Small deterministic images for the transformation tests.</summary>
internal static class TransformTestData
{
    /// <summary>A seeded random batch <c>[n, c, h, w]</c> in [0, 1].</summary>
    public static Tensor Random(long n, long c, long h, long w, ulong seed = 1, ScalarType dtype = ScalarType.Float32)
    {
        Dabo.TorchRuntime.Initialize();
        using var g = new Generator(seed, CPU);
        return rand(new[] { n, c, h, w }, dtype: dtype, generator: g);
    }

    /// <summary>An asymmetric 1×1×4×4 pattern with distinct values (no rotation or shift maps it onto itself).</summary>
    public static Tensor Pattern()
    {
        Dabo.TorchRuntime.Initialize();
        return (arange(16, dtype: ScalarType.Float32) / 16.0f).reshape(1, 1, 4, 4);
    }

    /// <summary>A per-image value <c>[n]</c>.</summary>
    public static Tensor Full(long n, double value, bool requiresGrad = false, ScalarType dtype = ScalarType.Float32) =>
        full(new[] { n }, value, dtype: dtype, requires_grad: requiresGrad);

    /// <summary>Same shape and bit-identical values (TorchSharp's <c>equal</c> is element-wise).</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && (a == b).all().ToBoolean();

    /// <summary>Largest absolute difference.</summary>
    public static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().ToDouble();
}
