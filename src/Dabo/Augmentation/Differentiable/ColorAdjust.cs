using static TorchSharp.torch;

namespace Dabo.Augmentation.Differentiable;

/// <summary>
/// Differentiable colour adjustments of image batches <c>[N, C, H, W]</c> (float32 or float64,
/// [0, 1] pixel space), one factor per image (<c>[N]</c>). Brightness and contrast accept C = 1
/// or 3; saturation and hue need RGB (C = 3).
/// </summary>
/// <remarks>
/// Every output is clamped to [0, 1]: a factor above 1 pushes pixels out of the displayable range,
/// and the next operation (in particular the HSV conversion of <see cref="Hue"/>) assumes valid
/// pixels. The clamp zeroes the gradient of saturated pixels only; the others still carry it.
/// Grey levels use the ITU-R 601 luma <c>0.299 R + 0.587 G + 0.114 B</c> (as torchvision).
/// </remarks>
public static class ColorAdjust
{
    /// <summary>Small constant that keeps the HSV conversion's divisions finite on grey pixels.</summary>
    private const double Eps = 1e-7;

    /// <summary>
    /// Multiplies every pixel by <paramref name="factor"/>: 0 gives black, 1 is the identity, 2
    /// doubles the intensity (then clamped).
    /// </summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    /// <param name="factor">Per-image factor <c>[N]</c>, ≥ 0.</param>
    public static Tensor Brightness(Tensor images, Tensor factor)
    {
        Check.Images(images, nameof(images));
        Check.PerImage(images, factor, nameof(factor));
        using var scope = NewDisposeScope();
        return (images * PerImage(factor, images)).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Blends each image with its mean grey level (a uniform image):
    /// <c>factor · x + (1 − factor) · mean</c>. 0 gives a flat grey image, 1 is the identity,
    /// above 1 increases contrast.
    /// </summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1], C = 1 or 3.</param>
    /// <param name="factor">Per-image factor <c>[N]</c>, ≥ 0.</param>
    public static Tensor Contrast(Tensor images, Tensor factor)
    {
        Check.Images(images, nameof(images));
        Check.PerImage(images, factor, nameof(factor));
        using var scope = NewDisposeScope();
        var mean = Grey(images).mean(new long[] { 1, 2, 3 }, keepdim: true);
        var f = PerImage(factor, images);
        return (f * images + (1 - f) * mean).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Blends each image with its grey version: <c>factor · x + (1 − factor) · grey(x)</c>.
    /// 0 gives grey, 1 is the identity, above 1 makes colours more vivid.
    /// </summary>
    /// <param name="images">Float RGB images <c>[N, 3, H, W]</c> in [0, 1].</param>
    /// <param name="factor">Per-image factor <c>[N]</c>, ≥ 0.</param>
    /// <exception cref="DaboException">When the images are not RGB.</exception>
    public static Tensor Saturation(Tensor images, Tensor factor)
    {
        Check.Images(images, nameof(images));
        Check.PerImage(images, factor, nameof(factor));
        RequireRgb(images, "saturation");
        using var scope = NewDisposeScope();
        var f = PerImage(factor, images);
        return (f * images + (1 - f) * Grey(images)).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rotates the hue by <paramref name="shift"/> turns, wrapping modulo 1 (0 and 1 are the
    /// identity; pure red shifted by 1/3 is pure green, by 2/3 pure blue), keeping saturation and
    /// value. Written with tensor operations (RGB → HSV → RGB) so gradients reach the images and
    /// the shift; grey pixels (max = min) have a finite gradient.
    /// </summary>
    /// <param name="images">Float RGB images <c>[N, 3, H, W]</c> in [0, 1].</param>
    /// <param name="shift">Per-image hue shift <c>[N]</c> in turns (any real; used modulo 1).</param>
    /// <exception cref="DaboException">When the images are not RGB.</exception>
    public static Tensor Hue(Tensor images, Tensor shift)
    {
        Check.Images(images, nameof(images));
        Check.PerImage(images, shift, nameof(shift));
        RequireRgb(images, "hue");
        using var scope = NewDisposeScope();
        var r = images[.., 0..1];
        var g = images[.., 1..2];
        var b = images[.., 2..3];
        var max = images.amax(new long[] { 1 }, keepdim: true);
        var min = images.amin(new long[] { 1 }, keepdim: true);
        var delta = max - min;

        // Hue in sixths of a turn; eps keeps the divisions finite where delta = 0 (grey), where
        // the numerators are 0 as well, so the hue there is 0 and does not matter.
        var safe = delta + Eps;
        var hr = ((g - b) / safe).remainder(6.0);
        var hg = (b - r) / safe + 2.0;
        var hb = (r - g) / safe + 4.0;
        var sixths = where(max == r, hr, where(max == g, hg, hb));
        var shifted = (sixths + PerImage(shift, images) * 6.0).remainder(6.0);

        // HSV → RGB in the closed form channel = v − v·s·clamp(min(k, 4 − k), 0, 1) with
        // k = (n + 6h) mod 6 and n = 5, 3, 1 for R, G, B; v·s = delta exactly, which avoids a
        // division by v and reproduces the input exactly at shift 0.
        Tensor Channel(double n)
        {
            var k = (shifted + n).remainder(6.0);
            return max - delta * minimum(k, 4.0 - k).clamp(0.0, 1.0);
        }
        return cat(new[] { Channel(5), Channel(3), Channel(1) }, 1).clamp(0.0, 1.0).MoveToOuterDisposeScope();
    }

    /// <summary>Grey level <c>[N, 1, H, W]</c> (the image itself when C = 1).</summary>
    internal static Tensor Grey(Tensor images)
    {
        if (images.shape[1] == 1)
        {
            return images.alias();
        }
        using var scope = NewDisposeScope();
        return (0.299 * images[.., 0..1] + 0.587 * images[.., 1..2] + 0.114 * images[.., 2..3])
            .MoveToOuterDisposeScope();
    }

    private static Tensor PerImage(Tensor values, Tensor images) =>
        values.to_type(images.dtype).view(-1, 1, 1, 1);

    private static void RequireRgb(Tensor images, string operation)
    {
        if (images.shape[1] != 3)
        {
            throw new DaboException($"{operation} needs RGB images (3 channels) but these have {images.shape[1]}; use geometry, brightness or contrast for grayscale data");
        }
    }
}
