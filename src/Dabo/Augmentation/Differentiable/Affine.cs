using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Differentiable;

/// <summary>
/// Differentiable affine warping of image batches <c>[N, C, H, W]</c> (float32 or float64, [0, 1]
/// pixel space), one transformation per image, through <c>affine_grid</c> + bilinear
/// <c>grid_sample</c>. Differentiable with respect to the images and to the parameters.
/// </summary>
/// <remarks>
/// <para>Coordinates: the sampling matrices are in PyTorch's normalized coordinates with
/// <c>align_corners = false</c>: x and y run from −1 at the outer edge of the first pixel to +1 at
/// the outer edge of the last one, so one pixel is <c>2 / W</c> (or <c>2 / H</c>). With this choice
/// the identity matrix samples exactly at pixel centres (identity is exact up to rounding), a shift
/// by a fraction <c>t</c> of the size is exactly <c>t · W</c> pixels, and a 90° rotation of a
/// square image maps pixel centres onto pixel centres (it equals <c>torch.rot90</c>).</para>
/// <para>Example (checked by the tests): on a 4×4 image, <c>TranslateX = 0.25</c> moves every
/// column one pixel to the right and the first column becomes black (zero padding);
/// <c>RotationDegrees = 90</c> equals <c>torch.rot90(images, 1, [2, 3])</c>.</para>
/// </remarks>
public static class Affine
{
    /// <summary>
    /// The sampling matrices <c>θ</c> <c>[N, 2, 3]</c> (the inverse of the transformation described
    /// by <paramref name="parameters"/>, in normalized coordinates, as <c>affine_grid</c> expects:
    /// an output point <c>q</c> takes its value from the input at <c>θ · [q; 1]</c>). The aspect
    /// ratio is taken into account, so rotations are true rotations on non-square images.
    /// </summary>
    /// <param name="parameters">Per-image parameters (all <c>[N]</c>, same dtype).</param>
    /// <param name="height">Image height H in pixels.</param>
    /// <param name="width">Image width W in pixels.</param>
    public static Tensor Matrix(AffineParameters parameters, long height, long width)
    {
        using var scope = NewDisposeScope();
        var p = parameters;
        var angle = p.RotationDegrees * (Math.PI / 180.0);
        var cos = angle.cos();
        var sin = angle.sin();
        var kx = (p.ShearXDegrees * (Math.PI / 180.0)).tan();
        var ky = (p.ShearYDegrees * (Math.PI / 180.0)).tan();

        // Forward linear part A = R · Shx · Shy · s, with R = [[c, s], [−s, c]] (counter-clockwise
        // as displayed, y pointing down) and Shx · Shy = [[1 + kx·ky, kx], [ky, 1]] (determinant 1).
        var h00 = 1 + kx * ky;
        var a00 = (cos * h00 + sin * ky) * p.Scale;
        var a01 = (cos * kx + sin) * p.Scale;
        var a10 = (-sin * h00 + cos * ky) * p.Scale;
        var a11 = (-sin * kx + cos) * p.Scale;

        // det A = scale² (rotation and shear have determinant 1), so the inverse is closed-form and
        // stays finite for any positive scale.
        var det = p.Scale * p.Scale;
        var i00 = a11 / det;
        var i01 = -a01 / det;
        var i10 = -a10 / det;
        var i11 = a00 / det;

        // Pixel → normalized coordinates: D = diag(W/2, H/2); θ_lin = D⁻¹ A⁻¹ D.
        double hOverW = (double)height / width;
        double wOverH = (double)width / height;
        var t00 = i00;
        var t01 = i01 * hOverW;
        var t10 = i10 * wOverH;
        var t11 = i11;

        // Translation (t·W pixels) is 2t in normalized units; the sampler undoes it: −θ_lin · 2t.
        var tx = p.TranslateX * 2.0;
        var ty = p.TranslateY * 2.0;
        var t02 = -(t00 * tx + t01 * ty);
        var t12 = -(t10 * tx + t11 * ty);

        var row0 = stack(new[] { t00, t01, t02 }, 1);
        var row1 = stack(new[] { t10, t11, t12 }, 1);
        return stack(new[] { row0, row1 }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Warps each image with its affine transformation.</summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    /// <param name="parameters">Per-image parameters (all <c>[N]</c>).</param>
    /// <param name="padding">What to show outside the source image.</param>
    /// <returns>Warped images, same shape and dtype (still in [0, 1]: bilinear sampling is a convex combination).</returns>
    public static Tensor Apply(Tensor images, AffineParameters parameters, PaddingMode padding = PaddingMode.Zeros)
    {
        Check.Images(images, nameof(images));
        using var scope = NewDisposeScope();
        var theta = Matrix(parameters, images.shape[2], images.shape[3]);
        return Apply(images, theta, padding).MoveToOuterDisposeScope();
    }

    /// <summary>Warps each image with a given sampling matrix.</summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    /// <param name="theta">Sampling matrices <c>[N, 2, 3]</c> in normalized coordinates
    /// (<c>align_corners = false</c>), as built by <see cref="Matrix"/>; the identity is <c>[[1, 0, 0], [0, 1, 0]]</c>.</param>
    /// <param name="padding">What to show outside the source image.</param>
    /// <returns>Warped images, same shape and dtype.</returns>
    public static Tensor Apply(Tensor images, Tensor theta, PaddingMode padding = PaddingMode.Zeros)
    {
        Check.Images(images, nameof(images));
        long n = images.shape[0];
        if (theta.dim() != 3 || theta.shape[0] != n || theta.shape[1] != 2 || theta.shape[2] != 3)
        {
            throw new ArgumentException($"theta must be [{n}, 2, 3], got [{string.Join(", ", theta.shape)}]", nameof(theta));
        }
        using var scope = NewDisposeScope();
        var grid = nn.functional.affine_grid(theta.to_type(images.dtype), images.shape, align_corners: false);
        var mode = padding switch
        {
            PaddingMode.Zeros => GridSamplePaddingMode.Zeros,
            PaddingMode.Border => GridSamplePaddingMode.Border,
            PaddingMode.Reflection => GridSamplePaddingMode.Reflection,
            _ => throw new ArgumentOutOfRangeException(nameof(padding)),
        };
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, mode, align_corners: false)
            .MoveToOuterDisposeScope();
    }
}
