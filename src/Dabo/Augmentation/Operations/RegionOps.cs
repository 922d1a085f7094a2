using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>Operations that move or hide regions: flip, crop (the <c>standard</c> pad-and-crop) and cutout.</summary>
internal static class RegionOps
{
    /// <summary>Mirrors every image left to right.</summary>
    public static Tensor Flip(Tensor images) => images.flip(3);

    /// <summary>
    /// The standard crop of one image as a shift: zero-pad p = ⌊|m|·size⌋ pixels per side and crop
    /// back at an offset in [−p, p] per axis chosen by the position (x, y) in [0, 1)²; black outside.
    /// </summary>
    public static AffineSetting CropSetting(double magnitude, float positionX, float positionY, long height, long width)
    {
        var px = (int)Math.Truncate(Math.Abs(magnitude) * width);
        var py = (int)Math.Truncate(Math.Abs(magnitude) * height);
        var dx = (int)Math.Floor(positionX * (2 * px + 1)) - px;
        var dy = (int)Math.Floor(positionY * (2 * py + 1)) - py;
        return AffineSetting.Identity with { TranslateX = dx, TranslateY = dy };
    }

    /// <summary>
    /// Blacks out a square of side ⌊m·min(H, W)⌉ centred at a random pixel (<paramref name="positions"/>
    /// columns x, y; the square may reach past the border), as in DeVries &amp; Taylor's cutout.
    /// </summary>
    public static Tensor Cutout(Tensor images, Tensor magnitudes, Tensor positions)
    {
        var (n, h, w) = (images.shape[0], images.shape[2], images.shape[3]);
        using var scope = NewDisposeScope();
        var side = (magnitudes.abs() * Math.Min(h, w)).round().to_type(ScalarType.Int64).view(n, 1, 1);
        var cx = (positions[.., 0] * w).floor().to_type(ScalarType.Int64).view(n, 1, 1);
        var cy = (positions[.., 1] * h).floor().to_type(ScalarType.Int64).view(n, 1, 1);
        var x0 = cx - side.div(2, rounding_mode: RoundingMode.floor);
        var y0 = cy - side.div(2, rounding_mode: RoundingMode.floor);
        var cols = arange(w, dtype: ScalarType.Int64).view(1, 1, w);
        var rows = arange(h, dtype: ScalarType.Int64).view(1, h, 1);
        var inside = (cols >= x0) & (cols < x0 + side) & (rows >= y0) & (rows < y0 + side);
        return images.masked_fill(inside.unsqueeze(1), 0).MoveToOuterDisposeScope();
    }
}
