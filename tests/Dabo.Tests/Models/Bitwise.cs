using static TorchSharp.torch;

namespace Dabo.Tests.Models;

/// <summary>Exact tensor comparison (TorchSharp's <c>equal</c> returns a tensor, not a bool).</summary>
internal static class Bitwise
{
    public static bool Same(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && eq(a, b).all().item<bool>();
}
