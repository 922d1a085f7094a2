using static TorchSharp.torch;

namespace Dabo.Augmentation.Differentiable;

/// <summary>Argument checks shared by the transformations (wrong shapes are programming errors).</summary>
internal static class Check
{
    /// <summary>Throws unless <paramref name="images"/> is a floating <c>[N, C, H, W]</c> tensor.</summary>
    public static void Images(Tensor images, string name)
    {
        if (images.dim() != 4)
        {
            throw new ArgumentException($"images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]", name);
        }
        if (!is_floating_point(images))
        {
            throw new ArgumentException($"images must be float32 or float64 in [0, 1], got {images.dtype}", name);
        }
    }

    /// <summary>Throws unless <paramref name="values"/> holds one value per image (<c>[N]</c>).</summary>
    public static void PerImage(Tensor images, Tensor values, string name)
    {
        if (values.dim() != 1 || values.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"{name} must be [{images.shape[0]}] (one value per image), got [{string.Join(", ", values.shape)}]", name);
        }
    }
}
