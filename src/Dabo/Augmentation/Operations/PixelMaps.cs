using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// Operations that remap pixel values (posterize, solarize, autocontrast, equalize, invert). Each is
/// a lookup table per image and channel, <c>[N, C, 256]</c> of new levels, applied with one
/// <c>gather</c>; in a mixed batch the tables of all these operations are applied in a single pass.
/// Not differentiable, which the policies do not need.
/// </summary>
internal static class PixelMaps
{
    /// <summary>Applies lookup tables <c>[N, C, 256]</c> (int64 levels) to uint8 images <c>[N, C, H, W]</c>.</summary>
    public static Tensor Apply(Tensor images, Tensor tables)
    {
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        using var scope = NewDisposeScope();
        var mapped = tables.gather(2, images.reshape(n, c, h * w).to_type(ScalarType.Int64));
        return mapped.to_type(ScalarType.Byte).view(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the top <c>bits</c> bits of every value (magnitude: bits, truncated to a whole number in [0, 8]).</summary>
    public static Tensor Posterize(Tensor images, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        var bits = magnitudes.trunc().clamp(0, 8).to_type(ScalarType.Int64);
        // 256 − 2^(8 − bits): the mask of the kept high bits (255 for 8 bits, the identity).
        var mask = (256 - pow(2, 8 - bits)).remainder(256).view(-1, 1, 1);
        return Levels(images).bitwise_and(mask).MoveToOuterDisposeScope();
    }

    /// <summary>Inverts the values at or above a threshold (magnitude: threshold as a fraction of 255; above 1 is the identity).</summary>
    public static Tensor Solarize(Tensor images, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        var threshold = (magnitudes * 255.0).to_type(ScalarType.Float32).view(-1, 1, 1);
        var levels = Levels(images);
        return where(levels.to_type(ScalarType.Float32) < threshold, levels, 255 - levels).MoveToOuterDisposeScope();
    }

    /// <summary>Stretches each channel linearly so that its darkest value becomes 0 and its lightest 255.</summary>
    public static Tensor AutoContrast(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32);
        var low = x.amin([2, 3]).unsqueeze(-1);
        var high = x.amax([2, 3]).unsqueeze(-1);
        // A constant channel is left alone (as torchvision: minimum 0, maximum 255).
        var flat = low == high;
        low = where(flat, zeros_like(low), low);
        high = where(flat, full_like(high, 255), high);
        var scale = tensor(255.0f) / (high - low);
        var levels = Levels(images).to_type(ScalarType.Float32);
        return ((levels - low) * scale).clamp(0, 255).to_type(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Equalizes each channel's histogram (PIL's and torchvision's <c>equalize</c>), all channels of
    /// all images at once: one <c>bincount</c> over values offset by 256 per channel.
    /// </summary>
    public static Tensor Equalize(Tensor images)
    {
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        using var scope = NewDisposeScope();
        var channels = n * c;
        var values = images.reshape(channels, h * w).to_type(ScalarType.Int64);
        var offsets = arange(channels, dtype: ScalarType.Int64).unsqueeze(1) * 256;
        var histogram = (values + offsets).view(-1).bincount(null, channels * 256).view(channels, 256);
        // torchvision: step = ⌊(pixels − count of the lightest value present) / 255⌋.
        var lightest = values.amax([1], keepdim: true);
        var step = (h * w - histogram.gather(1, lightest)).div(255, rounding_mode: RoundingMode.floor);
        var lut = (histogram.cumsum(1) + step.div(2, rounding_mode: RoundingMode.floor)).div(step.clamp_min(1), rounding_mode: RoundingMode.floor);
        // Shift right by one level (level 0 maps to 0) and clamp; a channel with step 0 (almost constant) is left alone.
        lut = nn.functional.pad(lut, [1, 0]).narrow(1, 0, 256).clamp(0, 255);
        var identity = arange(256, dtype: ScalarType.Int64).unsqueeze(0);
        return where(step == 0, identity, lut).view(n, c, 256).MoveToOuterDisposeScope();
    }

    /// <summary>255 − value.</summary>
    public static Tensor Invert(Tensor images)
    {
        using var scope = NewDisposeScope();
        return (255 - Levels(images)).MoveToOuterDisposeScope();
    }

    /// <summary>The identity table <c>[N, C, 256]</c> for the batch.</summary>
    private static Tensor Levels(Tensor images) =>
        arange(256, dtype: ScalarType.Int64).view(1, 1, 256).expand(images.shape[0], images.shape[1], 256);
}
