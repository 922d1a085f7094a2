using Dabo.Augmentation.Fixed;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>policy:FILE</c>: a learned policy (<c>policy.json</c> of a <c>learned-policy</c> run) applied
/// as a fixed augmentation: every image draws its operations and magnitudes from it.
/// </summary>
public sealed class FixedPolicy : IFixedAugmentation
{
    private readonly PolicyDistribution _policy;
    private readonly int _channels;

    /// <summary>Loads the policy in <paramref name="path"/>.</summary>
    /// <exception cref="DaboException">A missing or invalid file.</exception>
    public FixedPolicy(string path)
    {
        Path = path;
        (_policy, _channels) = PolicyFile.Read(path);
    }

    /// <summary>The policy file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name => $"policy:{Path}";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        if (images.shape[1] != _channels && _policy.Space.Operations.Any(o => o.NeedsRgb))
        {
            throw new DaboException($"{Path}: the policy was learned on {_channels}-channel images and uses colour operations, but the data has {images.shape[1]} channel(s)");
        }
        using var draw = _policy.Sample(images.shape[0], generator);
        return draw.Apply(images, _policy.Space);
    }
}
