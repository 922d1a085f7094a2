using Dabo.Augmentation.Operations;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// The random choices of S operation slots for N images: which operation, which magnitude bin,
/// whether to negate, and where crop and cutout fall. All tensors have leading shape <c>[S, N]</c>.
/// </summary>
/// <param name="Operations">int64 <c>[S, N]</c>: operation indices into the policy space.</param>
/// <param name="Bins">int64 <c>[S, N]</c>: magnitude bins.</param>
/// <param name="Negate">bool <c>[S, N]</c>: negate signed magnitudes.</param>
/// <param name="Positions">float32 <c>[S, N, 2]</c> in [0, 1).</param>
public sealed record SlotDraw(Tensor Operations, Tensor Bins, Tensor Negate, Tensor Positions) : IDisposable
{
    /// <summary>Number of slots S.</summary>
    public long Slots => Operations.shape[0];

    /// <summary>Applies the slots in order to <paramref name="images"/> (uint8 <c>[N, C, H, W]</c>).</summary>
    /// <param name="images">The batch; not modified.</param>
    /// <param name="space">The space the draw indexes.</param>
    /// <returns>A new uint8 batch.</returns>
    public Tensor Apply(Tensor images, PolicySpace space)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(space);
        using var scope = NewDisposeScope();
        using var threads = new SingleThreaded();
        var magnitudes = space.Magnitudes(Operations, Bins, Negate);
        var current = images;
        for (long s = 0; s < Slots; s++)
        {
            current = MixedOperations.Apply(current, space.Operations, Operations[s], magnitudes[s], Positions[s]);
        }
        return (ReferenceEquals(current, images) ? images.clone() : current).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Operations.Dispose();
        Bins.Dispose();
        Negate.Dispose();
        Positions.Dispose();
    }
}
