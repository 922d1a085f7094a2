namespace Dabo.Augmentation.Learned;

/// <summary>
/// One learned parameter: what it is, its unit, its identity value and how far from the identity
/// the augmenter may go. Every augmenter output stays within <c>Identity ± MaxRange</c>.
/// </summary>
/// <param name="Kind">Which transformation parameter.</param>
/// <param name="Name">Short name used in logs (e.g. <c>rotate</c>).</param>
/// <param name="Unit">Unit of the values: <c>fraction</c> (of the image size), <c>deg</c>, <c>factor</c> or <c>turn</c>.</param>
/// <param name="Identity">The value that leaves the image unchanged.</param>
/// <param name="MaxRange">Largest allowed distance from <paramref name="Identity"/>.</param>
public sealed record ParameterSpec(ParameterKind Kind, string Name, string Unit, double Identity, double MaxRange)
{
    /// <summary>The spec of <paramref name="kind"/> with the ranges of <paramref name="options"/>.</summary>
    /// <param name="kind">Which parameter.</param>
    /// <param name="options">Where the maximal ranges come from.</param>
    public static ParameterSpec For(ParameterKind kind, AugmenterOptions options) => kind switch
    {
        ParameterKind.TranslateX => new(kind, "translate-x", "fraction", 0, options.MaxTranslate),
        ParameterKind.TranslateY => new(kind, "translate-y", "fraction", 0, options.MaxTranslate),
        ParameterKind.Rotation => new(kind, "rotate", "deg", 0, options.MaxRotationDegrees),
        ParameterKind.Scale => new(kind, "scale", "factor", 1, options.MaxScaleChange),
        ParameterKind.ShearX => new(kind, "shear-x", "deg", 0, options.MaxShearDegrees),
        ParameterKind.ShearY => new(kind, "shear-y", "deg", 0, options.MaxShearDegrees),
        ParameterKind.Brightness => new(kind, "brightness", "factor", 1, options.MaxColorFactorChange),
        ParameterKind.Contrast => new(kind, "contrast", "factor", 1, options.MaxColorFactorChange),
        ParameterKind.Saturation => new(kind, "saturation", "factor", 1, options.MaxColorFactorChange),
        ParameterKind.Hue => new(kind, "hue", "turn", 0, options.MaxHueShift),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Whether the parameter belongs to the affine (geometric) family.</summary>
    public bool IsGeometric => Kind is ParameterKind.TranslateX or ParameterKind.TranslateY or ParameterKind.Rotation
        or ParameterKind.Scale or ParameterKind.ShearX or ParameterKind.ShearY;
}
