using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>randaugment[:N:M]</c> baseline (Cubuk et al. 2019) as in torchvision: each image gets N
/// operations in sequence, each drawn uniformly from RandAugment's space
/// (<see cref="PolicySpace.RandAugmentRanges"/>), all at magnitude bin M of 31, negated with probability
/// ½ for signed operations. Batched on <see cref="Operations.OperationTable"/>; randomness comes
/// from the generator passed to <see cref="Apply"/>.
/// </summary>
public sealed class RandAugment : IFixedAugmentation
{
    private readonly PolicySpaceCache _spaces;

    /// <summary>Creates the policy with torchvision's (and the paper's ImageNet) defaults.</summary>
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
        _spaces = new PolicySpaceCache(channels => PolicySpace.RandAugmentRanges(channels, magnitudeBins));
    }

    /// <summary>Operations per image.</summary>
    public int Operations { get; }

    /// <summary>Magnitude bin.</summary>
    public int Magnitude { get; }

    /// <summary>Number of magnitude bins.</summary>
    public int MagnitudeBins { get; }

    /// <inheritdoc />
    public string Name => (Operations, Magnitude, MagnitudeBins) == (2, 9, 31) ? "randaugment" : $"randaugment:{Operations}:{Magnitude}";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        if (Operations == 0)
        {
            return images.clone();
        }
        using var scope = NewDisposeScope();
        var space = _spaces.For(images);
        var n = images.shape[0];
        var operations = randint(0, space.Count, [Operations, n], generator: generator, dtype: ScalarType.Int64);
        var negate = randint(0, 2, [Operations, n], generator: generator, dtype: ScalarType.Int64).to_type(ScalarType.Bool);
        var positions = rand([Operations, n, 2], generator: generator);
        var bins = full([Operations, n], Magnitude, dtype: ScalarType.Int64);
        var draw = new SlotDraw(operations, bins, negate, positions);
        return draw.Apply(images, space).MoveToOuterDisposeScope();
    }
}
