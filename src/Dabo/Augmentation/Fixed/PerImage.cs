using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// Runs a single-image TorchVision policy on every image of a batch, so that each image gets its
/// own random operation (TorchVision's policies draw one operation per call, shared by the whole
/// batch).
/// </summary>
internal static class PerImage
{
    /// <summary>
    /// Applies <paramref name="transform"/> to each <c>[1, C, H, W]</c> image (with its index in the
    /// batch) and collects the results in a new batch.
    /// Grayscale images are expanded to 3 identical channels first, because TorchVision 0.107's
    /// <c>equalize</c> indexes channels 0–2 and fails on one channel; every policy operation keeps
    /// identical channels identical (saturation of a gray image is a no-op up to rounding), so
    /// channel 0 is returned.
    /// </summary>
    public static Tensor Apply(Tensor images, string name, Func<Tensor, long, Tensor> transform)
    {
        FixedAugmentationChecks.RequireBatch(images, name);
        var channels = images.shape[1];
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"{name}: needs 1 or 3 channels, got {channels}", nameof(images));
        }
        var n = images.shape[0];
        var output = torch.empty_like(images);
        for (long i = 0; i < n; i++)
        {
            // TorchVision allocates its augmentation space (several small tensors) on every call.
            using var scope = NewDisposeScope();
            var image = images.narrow(0, i, 1);
            if (channels == 1)
            {
                image = image.expand(1, 3, -1, -1).contiguous();
            }
            var augmented = transform(image, i);
            // The identity operation returns its input; copy_ also covers that case.
            output.narrow(0, i, 1).copy_(channels == 1 ? augmented.narrow(1, 0, 1) : augmented);
        }
        return output;
    }
}
