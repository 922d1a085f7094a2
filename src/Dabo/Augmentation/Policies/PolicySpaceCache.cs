using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>A policy's space for 1-channel and for 3-channel images, built once each.</summary>
internal sealed class PolicySpaceCache(Func<int, PolicySpace> build)
{
    private readonly PolicySpace?[] _spaces = new PolicySpace?[4];

    /// <summary>The space for <paramref name="channels"/> channels (1 or 3).</summary>
    /// <exception cref="DaboException">Other channel counts.</exception>
    public PolicySpace For(int channels)
    {
        if (channels is not (1 or 3))
        {
            throw new DaboException($"augmentation policies need images with 1 or 3 channels, not {channels}");
        }
        return _spaces[channels] ??= build(channels);
    }

    /// <summary>The space for a uint8 <c>[N, C, H, W]</c> batch.</summary>
    public PolicySpace For(Tensor images) => For((int)images.shape[1]);
}
