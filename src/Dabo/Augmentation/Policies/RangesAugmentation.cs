using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Operations;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>policy:FILE</c> of a ranges file (<see cref="RangesFile"/>): the augmentation a learned augmenter
/// ended with, fixed. Each image is transformed with probability <see cref="LearnedRanges.ApplyProbability"/>;
/// a transformed image draws every parameter uniformly in its <c>[min, max]</c>, independently, and
/// goes through the learned augmenters' own operations (<see cref="LearnedTransform"/>: colour, then one
/// affine warp), without gradients. For a <c>ranges</c> augmenter this is its distribution exactly
/// (up to the rounding of the result to uint8); for an MLP augmenter it is the box around its estimated ranges.
/// </summary>
public sealed class RangesAugmentation : IFixedAugmentation
{
    private readonly LearnedOperation[] _operations;
    private readonly bool _needsRgb;
    private readonly double[] _min;
    private readonly double[] _width;

    /// <summary>Replays <paramref name="ranges"/>.</summary>
    /// <param name="ranges">Validated ranges (<see cref="RangesFile.Read"/>).</param>
    /// <param name="name">Name in messages (e.g. <c>policy:runs/la/policy.json</c>).</param>
    public RangesAugmentation(LearnedRanges ranges, string name)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        Ranges = ranges;
        Name = name;
        var table = ranges.Parameters.Select(r => OperationTable.GetLearned(r.Name)).ToList();
        _operations = [.. table.Select(o => o.Learned!)];
        _needsRgb = table.Any(o => o.NeedsRgb);
        _min = [.. ranges.Parameters.Select(r => r.Min)];
        _width = [.. ranges.Parameters.Select(r => r.Max - r.Min)];
    }

    /// <summary>The ranges replayed.</summary>
    public LearnedRanges Ranges { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>
    /// Draws which of <paramref name="count"/> images are transformed (bool <c>[N]</c>) and their
    /// parameters (float64 <c>[N, P]</c>, each uniform in its range), in that order, from <paramref name="generator"/>.
    /// </summary>
    /// <param name="count">Number of images N.</param>
    /// <param name="generator">Source of randomness.</param>
    public (Tensor Mask, Tensor Parameters) Sample(long count, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var mask = rand(count, generator: generator) < Ranges.ApplyProbability;
        var u = rand(new long[] { count, _min.Length }, dtype: ScalarType.Float64, generator: generator);
        var values = tensor(_min).unsqueeze(0) + (u * tensor(_width).unsqueeze(0));
        return (mask.MoveToOuterDisposeScope(), values.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        if (images.shape[1] != Ranges.Channels && _needsRgb)
        {
            throw new DaboException($"{Name}: the ranges were learned on {Ranges.Channels}-channel images and change colours, but the data has {images.shape[1]} channel(s)");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mask, parameters) = Sample(images.shape[0], generator);
        var index = mask.nonzero().flatten();
        var result = images.clone();
        if (index.numel() > 0)
        {
            var chosen = images.index_select(0, index).to_type(ScalarType.Float32).div_(255);
            var augmented = LearnedTransform.Apply(chosen, _operations, parameters.index_select(0, index), Ranges.Padding);
            result.index_copy_(0, index, augmented.mul_(255).round_().clamp_(0, 255).to_type(ScalarType.Byte));
        }
        return result.MoveToOuterDisposeScope();
    }
}
