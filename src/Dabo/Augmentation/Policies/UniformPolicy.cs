using Dabo.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>uniform-policy[:S][:wide|narrow]</c>: S operation slots applied in sequence; each slot draws an
/// operation uniformly from TrivialAugment-Wide's space (<see cref="PolicySpace.TrivialAugmentWide"/>;
/// with <c>narrow</c>, RandAugment's ranges) and a magnitude uniformly from its bins, negated with
/// probability ½ for signed operations. With one slot this is TrivialAugment; with two it is the
/// prior (and the control) of the learned policy.
/// </summary>
public sealed class UniformPolicy : IFixedAugmentation
{
    /// <summary>Default number of slots.</summary>
    public const int DefaultSlots = PolicyArguments.DefaultSlots;

    private readonly PolicySpaceCache _spaces;
    private readonly PolicyDistribution?[] _distributions = new PolicyDistribution?[4];

    /// <summary>Creates the policy.</summary>
    /// <param name="slots">Operations per image, applied in sequence (≥ 1).</param>
    /// <param name="magnitudeBins">Magnitude bins (31 as in TrivialAugment).</param>
    /// <param name="name">Name reported by <see cref="Name"/> (null: <c>uniform-policy</c> followed by <see cref="PolicyArguments.Suffix"/>).</param>
    /// <param name="ranges">The magnitude ranges (TrivialAugment-Wide's by default).</param>
    public UniformPolicy(int slots = DefaultSlots, int magnitudeBins = 31, string? name = null, PolicyRanges ranges = PolicyRanges.Wide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(magnitudeBins, 2);
        Slots = slots;
        MagnitudeBins = magnitudeBins;
        var arguments = new PolicyArguments(slots, ranges);
        Name = name ?? "uniform-policy" + arguments.Suffix;
        _spaces = new PolicySpaceCache(channels => arguments.Space(channels, magnitudeBins));
    }

    /// <summary>Operation slots per image.</summary>
    public int Slots { get; }

    /// <summary>Magnitude bins.</summary>
    public int MagnitudeBins { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The space for images with <paramref name="channels"/> channels.</summary>
    public PolicySpace Space(int channels) => _spaces.For(channels);

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        var space = _spaces.For(images);
        var channels = (int)images.shape[1];
        // The learned policy's sampler at zero logits, so that both draw the same from the same generator.
        var distribution = _distributions[channels] ??= new PolicyDistribution(space, Slots);
        using var draw = distribution.Sample(images.shape[0], generator);
        return draw.Apply(images, space);
    }
}
