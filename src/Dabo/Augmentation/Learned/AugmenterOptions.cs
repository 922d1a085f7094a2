using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Operations;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// Settings of a learned augmenter. The maximal ranges default to those of the table of operations
/// (<see cref="LearnedRange"/>: translation ±0.25 of the size, rotation ±30°, scale 1 ± 0.25,
/// shear ±15°, colour factors 1 ± 0.5, hue ±0.5 turn); the properties here are the user's overrides.
/// </summary>
/// <remarks>
/// The options are serialized as JSON inside augmenter files, so the range properties keep their
/// names; <see cref="MaxRange"/> maps each <see cref="LearnedRange"/> to its property.
/// </remarks>
public sealed record AugmenterOptions
{
    /// <summary>How noise becomes parameters (default: the reference's MLP).</summary>
    public AugmenterParametrization Parametrization { get; init; } = AugmenterParametrization.Mlp;

    /// <summary>
    /// Share of images that get augmented, in [0, 1] (default 1). The others pass through untouched,
    /// without resampling (so they are not blurred).
    /// </summary>
    public double ApplyProbability { get; init; } = 1.0;

    /// <summary>
    /// What geometric transformations show outside the image (default <see cref="PaddingMode.Zeros"/>:
    /// black in pixel space, the same as the zero padding of the standard crop augmentation and the
    /// background of Fashion-MNIST; reflection would invent mirrored content whose gradient rewards
    /// large shifts).
    /// </summary>
    public PaddingMode Padding { get; init; } = PaddingMode.Zeros;

    /// <summary>Seed of the augmenter's noise generator and of its weight initialization.</summary>
    public long Seed { get; init; }

    /// <summary>Dropout after each hidden layer of the MLP (default 0: the reference's dropout made the augmenter's output noisy in an unlearnable way).</summary>
    public double Dropout { get; init; }

    /// <summary>Largest translation, fraction of the image size (default <see cref="LearnedRange.Translation"/>).</summary>
    public double MaxTranslate { get; init; } = LearnedRange.Translation.Default;

    /// <summary>Largest rotation in degrees (default <see cref="LearnedRange.Rotation"/>).</summary>
    public double MaxRotationDegrees { get; init; } = LearnedRange.Rotation.Default;

    /// <summary>Largest change of the scale factor, linear around 1 (default <see cref="LearnedRange.ScaleChange"/>).</summary>
    public double MaxScaleChange { get; init; } = LearnedRange.ScaleChange.Default;

    /// <summary>Largest shear angle in degrees (default <see cref="LearnedRange.Shear"/>).</summary>
    public double MaxShearDegrees { get; init; } = LearnedRange.Shear.Default;

    /// <summary>Largest change of the brightness, contrast and saturation factors around 1 (default <see cref="LearnedRange.ColorFactorChange"/>).</summary>
    public double MaxColorFactorChange { get; init; } = LearnedRange.ColorFactorChange.Default;

    /// <summary>Largest hue shift in turns (default <see cref="LearnedRange.HueShift"/>).</summary>
    public double MaxHueShift { get; init; } = LearnedRange.HueShift.Default;

    /// <summary>
    /// <see cref="AugmenterParametrization.Mlp"/>: bound of the uniform initialization of the output
    /// layer's weights (bias 0), default 1e-3, so the first outputs are within a fraction of a
    /// percent of the identity.
    /// </summary>
    public double InitialOutputScale { get; init; } = 1e-3;

    /// <summary>
    /// <see cref="AugmenterParametrization.Ranges"/>: initial half-width as a fraction of each
    /// parameter's maximal range, in (0, 1) (default 0.1: e.g. rotations start within ±3°).
    /// </summary>
    public double InitialSpread { get; init; } = 0.1;

    /// <summary>The maximal range of the parameters bounded by <paramref name="range"/>: its override here, or its default.</summary>
    /// <param name="range">A range of the table of operations.</param>
    public double MaxRange(LearnedRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return range switch
        {
            _ when range == LearnedRange.Translation => MaxTranslate,
            _ when range == LearnedRange.Rotation => MaxRotationDegrees,
            _ when range == LearnedRange.ScaleChange => MaxScaleChange,
            _ when range == LearnedRange.Shear => MaxShearDegrees,
            _ when range == LearnedRange.ColorFactorChange => MaxColorFactorChange,
            _ when range == LearnedRange.HueShift => MaxHueShift,
            // A range added to the table without an option property is not user-settable yet.
            _ => range.Default,
        };
    }

    /// <summary>Throws a <see cref="DaboException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new DaboException(message);
            }
        }
        Require(ApplyProbability is >= 0 and <= 1, $"augmenter apply probability {ApplyProbability}: must be in [0, 1]");
        Require(Dropout is >= 0 and < 1, $"augmenter dropout {Dropout}: must be in [0, 1)");
        foreach (var range in OperationTable.Learned.Select(o => o.Learned!.Range).Distinct())
        {
            range.Validate(MaxRange(range));
        }
        Require(InitialOutputScale is >= 0 and < 1, $"augmenter initial output scale {InitialOutputScale}: must be in [0, 1)");
        Require(InitialSpread is > 0 and < 1, $"augmenter initial spread {InitialSpread}: must be in (0, 1)");
    }
}
