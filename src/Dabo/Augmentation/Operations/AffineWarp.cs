using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// One image's affine transformation in TorchVision's <c>functional.affine</c> convention, about the
/// image centre: <see cref="Angle"/> in degrees (clockwise as displayed), translation in whole
/// pixels, zoom factor, shear angles in degrees.
/// </summary>
internal readonly record struct AffineSetting(float Angle, float TranslateX, float TranslateY, float Scale, float ShearX, float ShearY)
{
    /// <summary>The transformation that changes nothing.</summary>
    public static AffineSetting Identity => new(0, 0, 0, 1, 0, 0);
}

/// <summary>
/// Warps a uint8 batch with a different affine transformation per image, nearest-neighbour, black
/// outside the image: TorchVision's <c>functional.affine</c> / <c>rotate</c> for a whole batch in
/// one <c>grid_sample</c>.
/// </summary>
/// <remarks>
/// The inverse matrices are computed in single precision with the same formulas and operation order
/// as TorchVision for .NET (its <c>GetInverseAffineMatrix</c>), and the sampling grid from the same
/// pixel centres (<c>align_corners = false</c>), so that the results agree with TorchVision pixel
/// for pixel (checked in the tests).
/// </remarks>
internal static class AffineWarp
{
    private static readonly Dictionary<(long H, long W), (Tensor X, Tensor Y)> BaseGrids = [];

    /// <summary>Warps image i of <paramref name="images"/> with <paramref name="settings"/>[i].</summary>
    /// <param name="images">uint8 <c>[N, C, H, W]</c>.</param>
    /// <param name="settings">N transformations.</param>
    public static Tensor Apply(Tensor images, IReadOnlyList<AffineSetting> settings)
    {
        var (n, h, w) = (images.shape[0], images.shape[2], images.shape[3]);
        if (settings.Count != n)
        {
            throw new ArgumentException($"expected {n} affine settings, got {settings.Count}", nameof(settings));
        }
        if (n == 0)
        {
            return images.clone();
        }
        using var scope = NewDisposeScope();
        // Per image, the sampling grid's x and y as linear functions of the output pixel centre (bx, by):
        // torchvision's θᵀ / (w/2, h/2), here coefficient by coefficient (elementwise beats a K = 3 bmm).
        // The grid is computed planar, [N, 2, H, W], and handed to grid_sample as a permuted view:
        // building [N, H, W, 2] directly (stack, or broadcasting into a last dimension of 2) is
        // about 30 times slower on CPU, the inner loop being two elements long.
        var (ofX, ofY, constant) = (new float[n * 2], new float[n * 2], new float[n * 2]);
        float sx = 0.5f * w, sy = 0.5f * h;
        for (int i = 0; i < n; i++)
        {
            var m = InverseMatrix(settings[i]);
            (ofX[2 * i], ofY[2 * i], constant[2 * i]) = (m[0] / sx, m[1] / sx, m[2] / sx);
            (ofX[(2 * i) + 1], ofY[(2 * i) + 1], constant[(2 * i) + 1]) = (m[3] / sy, m[4] / sy, m[5] / sy);
        }
        var (bx, by) = BaseGrid(h, w);
        var planar = ((bx * tensor(ofX, [n, 2, 1, 1])) + (by * tensor(ofY, [n, 2, 1, 1]))).add_(tensor(constant, [n, 2, 1, 1]));
        var grid = planar.permute(0, 2, 3, 1);
        var warped = nn.functional.grid_sample(images.to_type(ScalarType.Float32), grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false);
        // Nearest-neighbour samples are whole levels already (and 0 outside): no rounding needed.
        return warped.to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The output pixel centres, centred: x as <c>[1, 1, 1, W]</c> and y as <c>[1, 1, H, 1]</c>, built once
    /// per image size (outside every dispose scope) because every warp of that size reads them.
    /// </summary>
    private static (Tensor X, Tensor Y) BaseGrid(long h, long w)
    {
        lock (BaseGrids)
        {
            if (!BaseGrids.TryGetValue((h, w), out var grid))
            {
                var x = linspace(-w * 0.5 + 0.5, w * 0.5 + 0.5 - 1, w).view(1, 1, 1, w).DetachFromDisposeScope();
                var y = linspace(-h * 0.5 + 0.5, h * 0.5 + 0.5 - 1, h).view(1, 1, h, 1).DetachFromDisposeScope();
                grid = (x, y);
                BaseGrids[(h, w)] = grid;
            }
            return grid;
        }
    }

    /// <summary>The 2×3 matrix that maps output pixels back to input pixels (centred coordinates).</summary>
    private static float[] InverseMatrix(AffineSetting s)
    {
        // The same single-precision steps as TorchVision for .NET, with the centre at (0, 0).
        var rot = s.Angle * MathF.PI / 180.0f;
        var sx = s.ShearX * MathF.PI / 180.0f;
        var sy = s.ShearY * MathF.PI / 180.0f;
        var a = MathF.Cos(rot - sy) / MathF.Cos(sy);
        var b = -MathF.Cos(rot - sy) * MathF.Tan(sx) / MathF.Cos(sy) - MathF.Sin(rot);
        var c = MathF.Sin(rot - sy) / MathF.Cos(sy);
        var d = -MathF.Sin(rot - sy) * MathF.Tan(sx) / MathF.Cos(sy) + MathF.Cos(rot);
        var m = new[] { d / s.Scale, -b / s.Scale, 0.0f / s.Scale, -c / s.Scale, a / s.Scale, 0.0f / s.Scale };
        m[2] += m[0] * (-0.0f - s.TranslateX) + m[1] * (-0.0f - s.TranslateY);
        m[5] += m[3] * (-0.0f - s.TranslateX) + m[4] * (-0.0f - s.TranslateY);
        return m;
    }
}
