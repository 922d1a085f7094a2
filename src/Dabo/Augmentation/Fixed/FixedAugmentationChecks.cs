using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>Argument checks shared by the fixed augmentations.</summary>
internal static class FixedAugmentationChecks
{
    /// <summary>Throws unless <paramref name="images"/> is a uint8 <c>[N, C, H, W]</c> tensor.</summary>
    public static void RequireBatch(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dtype != ScalarType.Byte || images.ndim != 4)
        {
            throw new ArgumentException($"{name}: expected uint8 [N, C, H, W] images, got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        }
    }
}
