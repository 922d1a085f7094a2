using Dabo.Augmentation.Differentiable;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// Settings of a learned augmenter. Defaults: the ranges of the task description (translation
/// ±0.25 of the size, rotation ±30°, scale 1 ± 0.25, shear ±15°, colour factors 1 ± 0.5, hue ±0.5 turn).
/// </summary>
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

    /// <summary>Largest translation, fraction of the image size (default 0.25).</summary>
    public double MaxTranslate { get; init; } = 0.25;

    /// <summary>Largest rotation in degrees (default 30).</summary>
    public double MaxRotationDegrees { get; init; } = 30;

    /// <summary>Largest change of the scale factor, linear around 1 (default 0.25: scale in [0.75, 1.25]); below 1 so the warp stays invertible.</summary>
    public double MaxScaleChange { get; init; } = 0.25;

    /// <summary>Largest shear angle in degrees (default 15).</summary>
    public double MaxShearDegrees { get; init; } = 15;

    /// <summary>Largest change of the brightness, contrast and saturation factors around 1 (default 0.5); at most 1 so factors stay ≥ 0.</summary>
    public double MaxColorFactorChange { get; init; } = 0.5;

    /// <summary>Largest hue shift in turns (default 0.5, i.e. the whole colour circle).</summary>
    public double MaxHueShift { get; init; } = 0.5;

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
        Require(MaxTranslate is > 0 and <= 1, $"augmenter max translation {MaxTranslate}: must be in (0, 1] (fraction of the image size)");
        Require(MaxRotationDegrees is > 0 and <= 180, $"augmenter max rotation {MaxRotationDegrees}: must be in (0, 180] degrees");
        Require(MaxScaleChange is > 0 and < 1, $"augmenter max scale change {MaxScaleChange}: must be in (0, 1) so the scale stays positive");
        Require(MaxShearDegrees is > 0 and < 45, $"augmenter max shear {MaxShearDegrees}: must be in (0, 45) degrees");
        Require(MaxColorFactorChange is > 0 and <= 1, $"augmenter max colour factor change {MaxColorFactorChange}: must be in (0, 1] so factors stay ≥ 0");
        Require(MaxHueShift is > 0 and <= 0.5, $"augmenter max hue shift {MaxHueShift}: must be in (0, 0.5] turns");
        Require(InitialOutputScale is >= 0 and < 1, $"augmenter initial output scale {InitialOutputScale}: must be in [0, 1)");
        Require(InitialSpread is > 0 and < 1, $"augmenter initial spread {InitialSpread}: must be in (0, 1)");
    }
}
