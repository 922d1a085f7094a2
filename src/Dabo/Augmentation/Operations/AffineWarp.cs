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
/// as TorchVision for .NET (its <c>GetInverseAffineMatrix</c>), and the sampling grid as its
/// <c>GenerateAffineGrid</c> (pixel centres, <c>align_corners = false</c>), so that nearest-neighbour
/// ties fall the same way and the results agree pixel for pixel (checked in the tests).
/// </remarks>
internal static class AffineWarp
{
    private static readonly Dictionary<(long H, long W), Tensor> BaseGrids = [];

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
        var matrices = new float[n * 6];
        for (int i = 0; i < n; i++)
        {
            InverseMatrix(settings[i]).CopyTo(matrices, i * 6);
        }
        var theta = tensor(matrices, [n, 2, 3]);
        var rescaled = theta.transpose(1, 2) / tensor(new[] { 0.5f * w, 0.5f * h });
        var grid = BaseGrid(h, w).expand(n, -1, -1).bmm(rescaled).view(n, h, w, 2);
        var warped = nn.functional.grid_sample(images.to_type(ScalarType.Float32), grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false);
        return warped.round().to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The output pixel centres <c>[1, H·W, 3]</c> as (x, y, 1), centred, built once per image size
    /// (outside every dispose scope) because every warp of that size reads it.
    /// </summary>
    private static Tensor BaseGrid(long h, long w)
    {
        lock (BaseGrids)
        {
            if (!BaseGrids.TryGetValue((h, w), out var grid))
            {
                using var scope = NewDisposeScope();
                var built = empty(1, h, w, 3);
                built[.., .., .., 0].copy_(linspace(-w * 0.5 + 0.5, w * 0.5 + 0.5 - 1, w));
                built[.., .., .., 1].copy_(linspace(-h * 0.5 + 0.5, h * 0.5 + 0.5 - 1, h).unsqueeze(-1));
                built[.., .., .., 2].fill_(1);
                grid = built.view(1, h * w, 3).DetachFromDisposeScope();
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
