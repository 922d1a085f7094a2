using Dabo.Augmentation.Differentiable;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// The table of operations: every augmentation operation Dabo knows, once, with its unit, its
/// default range and its batched apply. Fixed baselines (TrivialAugment, RandAugment, AutoAugment),
/// <c>uniform-policy</c>, the learned policy and the learned augmenters (through
/// <see cref="Operation.Learned"/>) read it; adding an operation is adding one entry here (and its test).
/// </summary>
/// <remarks>
/// Ranges are TrivialAugment-Wide's (Müller &amp; Hutter 2021, as in PyTorch's torchvision) except
/// that translations are a fraction of the image size (TA-Wide's 32 pixels at 32×32, i.e. the whole
/// width), so that 28-pixel and 32-pixel data get the same relative strength. Geometric operations
/// turn about the image centre and show black outside it, as TorchVision for .NET does. Results are
/// on the uint8 grid (truncated as torchvision truncates), so they agree with TorchVision's own
/// functions value for value where those are right; see the tests for the stated exceptions.
/// </remarks>
public static class OperationTable
{
    private const double EnhanceMax = 0.99;

    /// <summary>All operations, TrivialAugment-Wide's 14 first, in torchvision's order.</summary>
    public static IReadOnlyList<Operation> All { get; } =
    [
        new("identity", "leaves the image unchanged", "", null, false, false, true, null,
            (x, m, p) => x.clone()),
        Geometric("shear-x", "horizontal shear about the centre; magnitude = shear factor (tan of the angle)", "factor",
            new MagnitudeRange(0, 0.99), true, (v, ux, uy, h, w) => AffineSetting.Identity with { ShearX = ShearDegrees(v) },
            learned: LearnedOperation.Geometric("shear-x", "deg", 0, LearnedRange.Shear, 4, (a, v) => a with { ShearXDegrees = v })),
        Geometric("shear-y", "vertical shear about the centre; magnitude = shear factor (tan of the angle)", "factor",
            new MagnitudeRange(0, 0.99), true, (v, ux, uy, h, w) => AffineSetting.Identity with { ShearY = ShearDegrees(v) },
            learned: LearnedOperation.Geometric("shear-y", "deg", 0, LearnedRange.Shear, 5, (a, v) => a with { ShearYDegrees = v })),
        Geometric("translate-x", "horizontal shift (positive: right), truncated to whole pixels", "fraction of the width",
            new MagnitudeRange(0, 1), true, (v, ux, uy, h, w) => AffineSetting.Identity with { TranslateX = (int)(v * w) },
            learned: LearnedOperation.Geometric("translate-x", "fraction", 0, LearnedRange.Translation, 0, (a, v) => a with { TranslateX = v })),
        Geometric("translate-y", "vertical shift (positive: down), truncated to whole pixels", "fraction of the height",
            new MagnitudeRange(0, 1), true, (v, ux, uy, h, w) => AffineSetting.Identity with { TranslateY = (int)(v * h) },
            learned: LearnedOperation.Geometric("translate-y", "fraction", 0, LearnedRange.Translation, 1, (a, v) => a with { TranslateY = v })),
        Geometric("rotate", "rotation about the centre (positive: counter-clockwise)", "deg",
            new MagnitudeRange(0, 135), true, (v, ux, uy, h, w) => AffineSetting.Identity with { Angle = -(float)v },
            learned: LearnedOperation.Geometric("rotate", "deg", 0, LearnedRange.Rotation, 2, (a, v) => a with { RotationDegrees = v })),
        Blended("brightness", "blend with black; factor 1 + m", needsRgb: false, Enhance.BrightnessDegenerate,
            LearnedOperation.Color("brightness", "factor", 1, LearnedRange.ColorFactorChange, 6, ColorAdjust.Brightness)),
        Blended("color", "blend with the grey image (saturation); factor 1 + m", needsRgb: true, Enhance.ColorDegenerate,
            LearnedOperation.Color("saturation", "factor", 1, LearnedRange.ColorFactorChange, 8, ColorAdjust.Saturation)),
        Blended("contrast", "blend with the mean grey level; factor 1 + m", needsRgb: false, Enhance.ContrastDegenerate,
            LearnedOperation.Color("contrast", "factor", 1, LearnedRange.ColorFactorChange, 7, ColorAdjust.Contrast)),
        Blended("sharpness", "blend with a 3×3 smoothed image; factor 1 + m", needsRgb: false, Enhance.SharpnessDegenerate),
        new("posterize", "keep the top bits of each value", "bits",
            new MagnitudeRange(8, 2, Integer: true), false, false, true, 8,
            (x, m, p) => PixelMaps.Posterize(x, m)),
        new("solarize", "invert values at or above the threshold", "threshold, fraction of 255",
            new MagnitudeRange(1, 0), false, false, true, 1.01,
            (x, m, p) => PixelMaps.Solarize(x, m)),
        new("autocontrast", "stretch each channel to the full range", "", null, false, false, true, null,
            (x, m, p) => PixelMaps.AutoContrast(x)),
        new("equalize", "equalize each channel's histogram", "", null, false, false, true, null,
            (x, m, p) => PixelMaps.Equalize(x)),
        new("invert", "255 − value (AutoAugment's policies use it)", "", null, false, false, false, null,
            (x, m, p) => PixelMaps.Invert(x)),
        Geometric("scale", "zoom about the centre; factor 1 + m", "factor change",
            new MagnitudeRange(0, 0.5), false, (v, ux, uy, h, w) => AffineSetting.Identity with { Scale = (float)(1 + v) },
            learned: LearnedOperation.Geometric("scale", "factor", 1, LearnedRange.ScaleChange, 3, (a, v) => a with { Scale = v })),
        new("hue", "shift of the hue (HSV)", "turn",
            new MagnitudeRange(0, 0.5), true, true, false, 0,
            (x, m, p) => Hue(x, m))
        {
            Learned = LearnedOperation.Color("hue", "turn", 0, LearnedRange.HueShift, 9, ColorAdjust.Hue),
        },
        new("flip", "mirror left to right", "", null, false, false, false, null,
            (x, m, p) => RegionOps.Flip(x)),
        Geometric("crop", "the standard crop: zero-pad m·size pixels per side, crop back at a random offset", "fraction of the size",
            new MagnitudeRange(0, 0.125), false, RegionOps.CropSetting, signed: false),
        new("cutout", "black square of side m·min(H, W) at a random centre", "fraction of the size",
            new MagnitudeRange(0, 0.5), false, false, false, 0,
            (x, m, p) => RegionOps.Cutout(x, m, p)),
    ];

    /// <summary>
    /// The operations learned augmenters can learn (those with <see cref="Operation.Learned"/>), in
    /// <see cref="LearnedOperation.Order"/>: translate-x, translate-y, rotate, scale, shear-x,
    /// shear-y, brightness, contrast, saturation (the table's <c>color</c>), hue.
    /// </summary>
    public static IReadOnlyList<Operation> Learned { get; } = All.Where(o => o.Learned is not null).OrderBy(o => o.Learned!.Order).ToList();

    /// <summary>The operation the learned parameter <paramref name="name"/> (e.g. <c>saturation</c>) belongs to.</summary>
    /// <exception cref="DaboException">No operation is learned under that name.</exception>
    public static Operation GetLearned(string name) =>
        Learned.FirstOrDefault(o => string.Equals(o.Learned!.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DaboException($"unknown learned parameter '{name}'; known: {string.Join(", ", Learned.Select(o => o.Learned!.Name))}");

    /// <summary>The operation called <paramref name="name"/>.</summary>
    /// <exception cref="DaboException">No operation has that name.</exception>
    public static Operation Get(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new DaboException($"unknown operation '{name}'; known: {string.Join(", ", All.Select(o => o.Name))}");

    /// <summary>
    /// The operations policies draw from by default (TrivialAugment-Wide's 14), without those that
    /// need RGB when <paramref name="channels"/> is 1 (13 for grayscale data).
    /// </summary>
    public static IReadOnlyList<Operation> PolicySet(int channels) =>
        All.Where(o => o.InPolicySet && (channels == 3 || !o.NeedsRgb)).ToList();

    private static float ShearDegrees(double factor) => (float)(180.0 / Math.PI * Math.Atan(factor));

    /// <summary>An enhance entry: factor 1 + m, TrivialAugment-Wide's range 0.99, blended with <paramref name="degenerate"/>.</summary>
    private static Operation Blended(string name, string description, bool needsRgb, Func<Tensor, Tensor> degenerate, LearnedOperation? learned = null) =>
        new(name, description, "factor change", new MagnitudeRange(0, EnhanceMax), Signed: true, needsRgb, InPolicySet: true, IdentityMagnitude: 0,
            (x, m, p) => BlendWith(x, m, degenerate))
        {
            Learned = learned,
        };

    private static Tensor BlendWith(Tensor images, Tensor magnitudes, Func<Tensor, Tensor> degenerate)
    {
        using var scope = NewDisposeScope();
        return Enhance.Blend(images, degenerate(images), magnitudes).MoveToOuterDisposeScope();
    }

    /// <summary>A geometric entry: its apply warps every image with the transformation <paramref name="setting"/> gives it.</summary>
    private static Operation Geometric(string name, string description, string unit, MagnitudeRange range, bool inPolicySet, GeometricSetting setting, bool signed = true, LearnedOperation? learned = null) =>
        new(name, description, unit, range, signed, NeedsRgb: false, inPolicySet, IdentityMagnitude: 0, (x, m, p) => Warp(x, m, p, setting))
        {
            Geometry = setting,
            Learned = learned,
        };

    /// <summary>Warps image i with <c>setting(magnitudes[i], positions[i])</c>.</summary>
    internal static Tensor Warp(Tensor images, Tensor magnitudes, Tensor positions, GeometricSetting setting)
    {
        var (h, w) = (images.shape[2], images.shape[3]);
        var m = magnitudes.data<double>().ToArray();
        var u = positions.contiguous().data<float>().ToArray();
        return AffineWarp.Apply(images, m.Select((v, i) => setting(v, u[2 * i], u[2 * i + 1], h, w)).ToList());
    }

    private static Tensor Hue(Tensor images, Tensor magnitudes)
    {
        using var scope = NewDisposeScope();
        var x = images.to_type(ScalarType.Float32) / 255.0f;
        var shifted = ColorAdjust.Hue(x, magnitudes.to_type(ScalarType.Float32));
        return (shifted * 255.0f).round().clamp(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
