namespace Dabo.Augmentation.Learned;

/// <summary>
/// The learned range of one augmenter parameter, in its unit (which is torchvision's: translation as a
/// fraction of the image size, rotation and shear in degrees, scale and colour factors, hue in turns).
/// </summary>
/// <param name="Name">Parameter name (e.g. <c>rotate</c>), an entry of the table's learned operations.</param>
/// <param name="Unit">Unit of the values: <c>fraction</c>, <c>deg</c>, <c>factor</c> or <c>turn</c>.</param>
/// <param name="Identity">The value that leaves the image unchanged.</param>
/// <param name="Min">Smallest value drawn.</param>
/// <param name="Max">Largest value drawn.</param>
/// <param name="MaxRange">The maximal range of the augmenter: every value is within <c>Identity ± MaxRange</c>.</param>
public sealed record LearnedParameterRange(string Name, string Unit, double Identity, double Min, double Max, double MaxRange)
{
    /// <summary>Whether the range is symmetric about the identity (to 1e-6 of the maximal range).</summary>
    public bool IsSymmetric => Math.Abs((Min - Identity) + (Max - Identity)) <= 1e-6 * MaxRange;

    /// <summary>The largest distance from the identity: the symmetric range that covers this one.</summary>
    public double Reach => Math.Max(Math.Abs(Min - Identity), Math.Abs(Max - Identity));
}
