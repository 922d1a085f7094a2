namespace Dabo.Augmentation.Operations;

/// <summary>
/// The default maximal range of learned parameters and its allowed values, shared by the axes of
/// one transformation (e.g. horizontal and vertical shear). Learned augmenters keep every value
/// within <c>identity ± range</c>; <see cref="Learned.AugmenterOptions"/> may override the default.
/// </summary>
/// <param name="Name">What the range bounds, in messages (e.g. <c>shear</c>).</param>
/// <param name="Default">Default maximal distance from the identity.</param>
/// <param name="Limit">Largest allowed range (ranges must be in (0, <paramref name="Limit"/>]).</param>
/// <param name="LimitInclusive">Whether <paramref name="Limit"/> itself is allowed.</param>
/// <param name="Reason">Unit or reason of the limit, ending the validation message.</param>
public sealed record LearnedRange(string Name, double Default, double Limit, bool LimitInclusive, string Reason)
{
    /// <summary>Translation, fraction of the image size (default 0.25).</summary>
    public static LearnedRange Translation { get; } = new("translation", 0.25, 1, true, "(fraction of the image size)");

    /// <summary>Rotation in degrees (default 30).</summary>
    public static LearnedRange Rotation { get; } = new("rotation", 30, 180, true, "degrees");

    /// <summary>Change of the scale factor, linear around 1 (default 0.25); below 1 so the warp stays invertible.</summary>
    public static LearnedRange ScaleChange { get; } = new("scale change", 0.25, 1, false, "so the scale stays positive");

    /// <summary>Shear angle in degrees (default 15).</summary>
    public static LearnedRange Shear { get; } = new("shear", 15, 45, false, "degrees");

    /// <summary>Change of the brightness, contrast and saturation factors around 1 (default 0.5); at most 1 so factors stay ≥ 0.</summary>
    public static LearnedRange ColorFactorChange { get; } = new("colour factor change", 0.5, 1, true, "so factors stay ≥ 0");

    /// <summary>Hue shift in turns (default 0.5, the whole colour circle).</summary>
    public static LearnedRange HueShift { get; } = new("hue shift", 0.5, 0.5, true, "turns");

    /// <summary>Whether <paramref name="range"/> is an allowed maximal range.</summary>
    public bool Allows(double range) => range > 0 && (LimitInclusive ? range <= Limit : range < Limit);

    /// <summary>Throws a <see cref="DaboException"/> when <paramref name="range"/> is not allowed.</summary>
    public void Validate(double range)
    {
        if (!Allows(range))
        {
            throw new DaboException($"augmenter max {Name} {range}: must be in (0, {Limit}{(LimitInclusive ? "]" : ")")} {Reason}");
        }
    }
}
