using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>policy:FILE</c>: the <c>policy.json</c> of a learned run applied as a fixed augmentation. A
/// learned policy (<see cref="PolicyFile.Format"/>, from <c>learned-policy</c>): every image draws its
/// operations and magnitudes from it. Learned ranges (<see cref="RangesFile.Format"/>, from
/// <c>learned-affine</c> and the other augmenters): every image is transformed with the apply
/// probability, each parameter drawn uniformly in its range (<see cref="RangesAugmentation"/>).
/// </summary>
public sealed class FixedPolicy : IFixedAugmentation
{
    private readonly PolicyDistribution? _policy;
    private readonly RangesAugmentation? _ranges;

    /// <summary>Loads the policy in <paramref name="path"/>, of either format, checked against its schema.</summary>
    /// <param name="path">The policy.json.</param>
    /// <param name="dataChannels">Channels of the data it will augment, when known: colour operations on grayscale data are refused here, before training starts.</param>
    /// <exception cref="DaboException">A missing or invalid file, or one that does not fit the data (one line naming it and the key).</exception>
    public FixedPolicy(string path, int? dataChannels = null)
    {
        Path = path;
        string? format = RangesFile.FormatOf(path);
        if (format == RangesFile.Format)
        {
            var ranges = RangesFile.Read(path);
            if (dataChannels is int c)
            {
                RangesFile.CheckChannels(ranges, path, c);
            }
            _ranges = new RangesAugmentation(ranges, Name);
        }
        else if (format == PolicyFile.Format)
        {
            (_policy, _) = PolicyFile.Read(path);
            if (dataChannels is int c)
            {
                PolicyFile.CheckChannels(_policy, path, c);
            }
        }
        else
        {
            throw new DaboException(format is null
                ? $"{path}: format: missing; expected {PolicyFile.Format} or {RangesFile.Format} (the policy.json of a learned run)"
                : $"{path}: format: '{format}' is neither {PolicyFile.Format} nor {RangesFile.Format}");
        }
    }

    /// <summary>The learned ranges, when the file holds ranges (null for a learned policy).</summary>
    public LearnedRanges? Ranges => _ranges?.Ranges;

    /// <summary>The policy file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name => $"policy:{Path}";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        if (_ranges is not null)
        {
            return _ranges.Apply(images, generator);
        }
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        var policy = _policy!;
        PolicyFile.CheckChannels(policy, Path, (int)images.shape[1]);
        using var draw = policy.Sample(images.shape[0], generator);
        return draw.Apply(images, policy.Space);
    }
}
