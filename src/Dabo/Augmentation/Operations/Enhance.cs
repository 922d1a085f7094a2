using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// The PIL-style "enhance" operations (brightness, colour, contrast, sharpness): each image is
/// blended with a degenerate version of itself, <c>factor·image + (1 − factor)·degenerate</c>,
/// clamped to [0, 255] and truncated to uint8, as PyTorch's torchvision does for uint8 images. The
/// magnitude m is the change of the factor: factor = 1 + m, so 0 is the identity.
/// </summary>
internal static class Enhance
{
    /// <summary>Black (brightness blends towards it).</summary>
    public static Tensor BrightnessDegenerate(Tensor images) => zeros([images.shape[0], 1, 1, 1]);

    /// <summary>The grey image (colour, i.e. saturation, blends towards it; RGB only).</summary>
    public static Tensor ColorDegenerate(Tensor images) => Grey(images);

    /// <summary>The mean grey level of each image (contrast blends towards it).</summary>
    public static Tensor ContrastDegenerate(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Grey(images).mean([1, 2, 3], keepdim: true).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A smoothed image (sharpness blends towards it): the 3×3 kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]]/13,
    /// rounded, inside a one-pixel border that keeps the original pixels (the image itself when H or W ≤ 2).
    /// </summary>
    public static Tensor SharpnessDegenerate(Tensor images)
    {
        var (h, w) = (images.shape[2], images.shape[3]);
        var x = images.to_type(ScalarType.Float32);
        if (h <= 2 || w <= 2)
        {
            return x;
        }
        using var scope = NewDisposeScope();
        // The 3×3 sum with the centre counted 5 times, exact in float (whole numbers), then /13 and
        // rounded: the same levels as torchvision's convolution with weights 1/13 (no sum/13 lies
        // within float error of a half, so the rounding agrees). The window sum is two shifted sums
        // (rows, then columns): on CPU several times faster than avg_pool2d with a divisor override.
        var rows = x[.., .., 0..^2] + x[.., .., 1..^1] + x[.., .., 2..];
        var windows = rows[.., .., .., 0..^2] + rows[.., .., .., 1..^1] + rows[.., .., .., 2..];
        var sum = windows.add_(x[.., .., 1..^1, 1..^1] * 4);
        var degenerate = x.clone();
        degenerate[.., .., 1..^1, 1..^1] = (sum / 13.0f).round();
        return degenerate.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Grey level <c>[N, 1, H, W]</c> of uint8 images as float, truncated to whole levels as
    /// torchvision's uint8 <c>rgb_to_grayscale</c> (the image itself for one channel).
    /// </summary>
    internal static Tensor Grey(Tensor images)
    {
        var x = images.to_type(ScalarType.Float32);
        if (images.shape[1] == 1)
        {
            return x;
        }
        using var scope = NewDisposeScope();
        var grey = x[.., 0..1] * 0.2989 + x[.., 1..2] * 0.587 + x[.., 2..3] * 0.114;
        return grey.trunc().MoveToOuterDisposeScope();
    }

    /// <summary><c>(factor·images + (1 − factor)·other)</c> clamped and truncated, factor = 1 + m per image.</summary>
    /// <param name="images">uint8 <c>[N, C, H, W]</c>.</param>
    /// <param name="other">The degenerate images, float, broadcastable to <paramref name="images"/>.</param>
    /// <param name="magnitudes">float64 <c>[N]</c>: the change of the factor.</param>
    public static Tensor Blend(Tensor images, Tensor other, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        // Both coefficients in double, then single: the same rounding as a double scalar in torchvision.
        var ratio = (magnitudes + 1.0).view(-1, 1, 1, 1);
        var rest = (1.0 - ratio).to_type(ScalarType.Float32);
        // In place on one float copy: factor·image, plus (1 − factor)·other, clamped, truncated.
        var mixed = images.to_type(ScalarType.Float32).mul_(ratio.to_type(ScalarType.Float32)).add_(other * rest);
        return mixed.clamp_(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
