using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// Operations that remap pixel values (posterize, solarize, autocontrast, equalize, invert), per
/// image and channel, with whole-batch tensor code. Not differentiable, which the policies do not need.
/// </summary>
internal static class PixelMaps
{
    /// <summary>Keeps the top <c>bits</c> bits of every value (magnitude: bits, truncated to a whole number in [0, 8]).</summary>
    public static Tensor Posterize(Tensor images, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        var bits = magnitudes.trunc().clamp(0, 8).to_type(ScalarType.Int64);
        // 256 − 2^(8 − bits): the mask of the kept high bits (255 for 8 bits, the identity).
        var mask = (256 - pow(2, 8 - bits)).remainder(256).to_type(ScalarType.Byte).view(-1, 1, 1, 1);
        return images.bitwise_and(mask).MoveToOuterDisposeScope();
    }

    /// <summary>Inverts the values at or above a threshold (magnitude: threshold as a fraction of 255; above 1 is the identity).</summary>
    public static Tensor Solarize(Tensor images, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        var threshold = (magnitudes * 255.0).to_type(ScalarType.Float32).view(-1, 1, 1, 1);
        var below = images.to_type(ScalarType.Float32) < threshold;
        return where(below, images, images.bitwise_not()).MoveToOuterDisposeScope();
    }

    /// <summary>Stretches each channel linearly so that its darkest value becomes 0 and its lightest 255.</summary>
    public static Tensor AutoContrast(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32);
        var low = x.amin([2, 3], keepdim: true);
        var high = x.amax([2, 3], keepdim: true);
        // A constant channel is left alone (as torchvision: minimum 0, maximum 255).
        var flat = low == high;
        low = where(flat, zeros_like(low), low);
        high = where(flat, full_like(high, 255), high);
        var scale = tensor(255.0f) / (high - low);
        return ((x - low) * scale).clamp(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Equalizes each channel's histogram (PIL's and torchvision's <c>equalize</c>), all channels of
    /// all images at once: one <c>bincount</c> over values offset by 256 per channel.
    /// </summary>
    public static Tensor Equalize(Tensor images)
    {
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        if (n == 0)
        {
            return images.clone();
        }
        using var scope = NewDisposeScope();
        var channels = n * c;
        var values = images.reshape(channels, h * w).to_type(ScalarType.Int64);
        var offsets = arange(channels, dtype: ScalarType.Int64).unsqueeze(1) * 256;
        var histogram = (values + offsets).view(-1).bincount(null, channels * 256).view(channels, 256);
        // torchvision: step = ⌊(pixels − count of the lightest value present) / 255⌋.
        var lightest = values.amax([1], keepdim: true);
        var step = (h * w - histogram.gather(1, lightest)).div(255, rounding_mode: RoundingMode.floor);
        var safeStep = step.clamp_min(1);
        var lut = (histogram.cumsum(1) + step.div(2, rounding_mode: RoundingMode.floor)).div(safeStep, rounding_mode: RoundingMode.floor);
        // Shift right by one level (level 0 maps to 0) and clamp.
        lut = nn.functional.pad(lut, [1, 0]).narrow(1, 0, 256).clamp(0, 255);
        var mapped = lut.gather(1, values);
        // A channel with step 0 (almost constant) is left alone.
        var result = where(step == 0, values, mapped);
        return result.to_type(ScalarType.Byte).view(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>255 − value.</summary>
    public static Tensor Invert(Tensor images) => images.bitwise_not();
}
