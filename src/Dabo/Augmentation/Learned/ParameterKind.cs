namespace Dabo.Augmentation.Learned;

/// <summary>The transformation parameters an augmenter can learn (units in <see cref="ParameterSpec"/>).</summary>
public enum ParameterKind
{
    /// <summary>Horizontal shift, fraction of the width (positive: right).</summary>
    TranslateX,

    /// <summary>Vertical shift, fraction of the height (positive: down).</summary>
    TranslateY,

    /// <summary>Rotation in degrees (positive: counter-clockwise as displayed).</summary>
    Rotation,

    /// <summary>Isotropic zoom factor (above 1 enlarges).</summary>
    Scale,

    /// <summary>Horizontal shear angle in degrees.</summary>
    ShearX,

    /// <summary>Vertical shear angle in degrees.</summary>
    ShearY,

    /// <summary>Brightness factor (1 = identity).</summary>
    Brightness,

    /// <summary>Contrast factor (1 = identity).</summary>
    Contrast,

    /// <summary>Saturation factor (1 = identity; RGB only).</summary>
    Saturation,

    /// <summary>Hue shift in turns (0 = identity; RGB only).</summary>
    Hue,
}
