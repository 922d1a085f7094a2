using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>randaugment</c> baseline (Cubuk et al. 2019): TorchVision's
/// <c>transforms.RandAugment</c>, applied image by image so that each image gets its own
/// operations. Randomness comes from the generator passed to <see cref="Apply"/> (TorchVision
/// 0.107 accepts a <see cref="Generator"/>), not from torch's global RNG.
/// </summary>
public sealed class RandAugment : IFixedAugmentation
{
    /// <summary>Creates the policy with TorchVision's (and the paper's ImageNet) defaults.</summary>
    /// <param name="operations">Operations applied in sequence to each image (N in the paper).</param>
    /// <param name="magnitude">Magnitude bin in [0, <paramref name="magnitudeBins"/>) (M in the paper).</param>
    /// <param name="magnitudeBins">Number of magnitude bins.</param>
    public RandAugment(int operations = 2, int magnitude = 9, int magnitudeBins = 31)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(magnitudeBins, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(magnitude);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(magnitude, magnitudeBins);
        Operations = operations;
        Magnitude = magnitude;
        MagnitudeBins = magnitudeBins;
    }

    /// <summary>Operations per image.</summary>
    public int Operations { get; }

    /// <summary>Magnitude bin.</summary>
    public int Magnitude { get; }

    /// <summary>Number of magnitude bins.</summary>
    public int MagnitudeBins { get; }

    /// <inheritdoc />
    public string Name => "randaugment";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        // Built per call because TorchVision binds the generator at construction; it only stores fields.
        var policy = torchvision.transforms.RandAugment(Operations, Magnitude, MagnitudeBins, generator: generator);
        return PerImage.Apply(images, Name, (image, _) => policy.call(image));
    }
}
