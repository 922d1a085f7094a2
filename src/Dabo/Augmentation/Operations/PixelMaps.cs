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
        // For whole values, x < t ⇔ x < ⌈t⌉: the comparison runs on the uint8 values against a small
        // integer threshold (t as torchvision's single-precision threshold), and the values at or
        // above it are inverted with an XOR by 255. No float copy of the images.
        var threshold = (magnitudes * 255.0).to_type(ScalarType.Float32).ceil_().clamp_(0, 256).to_type(ScalarType.Int16).view(-1, 1, 1, 1);
        var invert = images.ge(threshold).to_type(ScalarType.Byte).mul_(255);
        return images.bitwise_xor(invert).MoveToOuterDisposeScope();
    }

    /// <summary>Stretches each channel linearly so that its darkest value becomes 0 and its lightest 255.</summary>
    public static Tensor AutoContrast(Tensor images)
    {
        using var scope = NewDisposeScope();
        var low = images.amin([2, 3], keepdim: true).to_type(ScalarType.Float32);
        var high = images.amax([2, 3], keepdim: true).to_type(ScalarType.Float32);
        // A constant channel is left alone (as torchvision: minimum 0, maximum 255).
        var flat = low == high;
        low.masked_fill_(flat, 0);
        high.masked_fill_(flat, 255);
        var scale = tensor(255.0f) / (high - low);
        return images.to_type(ScalarType.Float32).sub_(low).mul_(scale).clamp_(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Equalizes each channel's histogram (PIL's and torchvision's <c>equalize</c>), all channels of
    /// all images at once: one <c>bincount</c> over values offset by 256 per channel, and one lookup
    /// of every value in the stacked per-channel tables through the same offset index.
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
        var flat = images.reshape(channels, h * w);
        var offsets = arange(0, channels * 256, 256, dtype: ScalarType.Int64).unsqueeze(1);
        var index = flat.to_type(ScalarType.Int64).add_(offsets).view(-1);
        var histogram = index.bincount(null, channels * 256).view(channels, 256);
        // torchvision: step = ⌊(pixels − count of the lightest value present) / 255⌋.
        var lightest = flat.amax([1], keepdim: true).to_type(ScalarType.Int64);
        var step = (h * w - histogram.gather(1, lightest)).div_(255, rounding_mode: RoundingMode.floor);
        var lut = histogram.cumsum(1).add_(step.div(2, rounding_mode: RoundingMode.floor)).div_(step.clamp_min(1), rounding_mode: RoundingMode.floor);
        // Shift right by one level (level 0 maps to 0) and clamp; a channel with step 0 (almost
        // constant) keeps its values.
        lut = nn.functional.pad(lut, [1, 0]).narrow(1, 0, 256).clamp_(0, 255);
        lut = where(step == 0, arange(256, dtype: ScalarType.Int64), lut).to_type(ScalarType.Byte);
        return lut.view(-1).take(index).view(n, c, h, w).MoveToOuterDisposeScope();
    }

    /// <summary>255 − value.</summary>
    public static Tensor Invert(Tensor images) => images.bitwise_not();
}
