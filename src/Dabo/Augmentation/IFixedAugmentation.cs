using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation;

/// <summary>
/// A fixed (not learned) augmentation of uint8 image batches, applied on the fly to every
/// training batch. Each image gets its own random draw.
/// </summary>
public interface IFixedAugmentation
{
    /// <summary>The method name as written on the command line (e.g. <c>standard</c>).</summary>
    string Name { get; }

    /// <summary>Augments a batch.</summary>
    /// <param name="images">uint8 <c>[N, C, H, W]</c>; not modified.</param>
    /// <param name="generator">Source of randomness for this call (seeded by the trainer).</param>
    /// <returns>A new uint8 <c>[N, C, H, W]</c> tensor in the caller's dispose scope.</returns>
    Tensor Apply(Tensor images, Generator generator);
}
