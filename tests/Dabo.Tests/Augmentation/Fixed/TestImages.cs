using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Fixed;

/// <summary>Small uint8 batches for the fixed-augmentation tests.</summary>
internal static class TestImages
{
    /// <summary>Random values in [1, 255]: never 0, so zeros in an output can only be padding.</summary>
    public static Tensor Random(long n, long c, long h, long w, long seed = 1)
    {
        Dabo.TorchRuntime.Initialize();
        using var g = new Generator((ulong)seed);
        return torch.randint(1, 256, [n, c, h, w], generator: g, dtype: ScalarType.Byte);
    }

    /// <summary><paramref name="n"/> copies of one random, non-constant image.</summary>
    public static Tensor Identical(long n, long c, long h, long w, long seed = 1)
    {
        using var one = Random(1, c, h, w, seed);
        return one.expand(n, -1, -1, -1).contiguous();
    }

    /// <summary>Whether all images of the batch are equal to the first.</summary>
    public static bool AllEqual(Tensor batch)
    {
        using var first = batch.narrow(0, 0, 1);
        using var eq = batch.eq(first);
        using var all = eq.all();
        return all.item<bool>();
    }

    /// <summary>Whether two tensors have the same shape and values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        // Tensor.equal is element-wise in TorchSharp 0.107.
        if (!a.shape.SequenceEqual(b.shape))
        {
            return false;
        }
        using var eq = a.eq(b);
        using var all = eq.all();
        return all.item<bool>();
    }
}
