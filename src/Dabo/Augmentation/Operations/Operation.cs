using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// Applies one operation to a whole batch, each image with its own magnitude (pure: all randomness
/// comes in through the arguments).
/// </summary>
/// <param name="images">uint8 <c>[N, C, H, W]</c>; not modified.</param>
/// <param name="magnitudes">float64 <c>[N]</c>, in the operation's <see cref="Operation.Unit"/>, signed where the operation is.</param>
/// <param name="positions">float32 <c>[N, 2]</c> uniform in [0, 1): where crop and cutout fall; ignored by the others.</param>
/// <returns>A new uint8 <c>[N, C, H, W]</c> tensor.</returns>
public delegate Tensor OperationApply(Tensor images, Tensor magnitudes, Tensor positions);

/// <summary>The affine transformation of one image of size <paramref name="height"/> × <paramref name="width"/>.</summary>
internal delegate AffineSetting GeometricSetting(double magnitude, float positionX, float positionY, long height, long width);

/// <summary>
/// One entry of the table of operations (<see cref="OperationTable"/>): what it does, the unit and
/// default range of its magnitude, and its batched, pure <see cref="Apply"/>. Sampling (which
/// operation, which magnitude) is the policies' business; the entry only applies.
/// </summary>
/// <param name="Name">Name used in policies, logs and <c>policy.json</c> (e.g. <c>shear-x</c>).</param>
/// <param name="Description">What it does, with its unit.</param>
/// <param name="Unit">Unit of the magnitude (empty for operations without one).</param>
/// <param name="Range">TrivialAugment-Wide's range (bin 0 → last bin); null for operations without a magnitude.</param>
/// <param name="Signed">Whether policies negate the magnitude with probability ½.</param>
/// <param name="NeedsRgb">Whether the operation needs 3 channels (policies on grayscale data leave it out).</param>
/// <param name="InPolicySet">Whether it is one of TrivialAugment-Wide's 14 operations, the set policies draw from by default.</param>
/// <param name="IdentityMagnitude">The magnitude that leaves every image unchanged, or null when there is none.</param>
/// <param name="Apply">The batched operation.</param>
public sealed record Operation(
    string Name,
    string Description,
    string Unit,
    MagnitudeRange? Range,
    bool Signed,
    bool NeedsRgb,
    bool InPolicySet,
    double? IdentityMagnitude,
    OperationApply Apply)
{
    /// <summary>
    /// For geometric operations, the affine transformation of one image (its <see cref="Apply"/> is
    /// then <see cref="AffineWarp"/> over these), so that a batch mixing geometric operations is
    /// warped in one pass.
    /// </summary>
    internal GeometricSetting? Geometry { get; init; }

    /// <summary>
    /// How the learned augmenters use the operation as a differentiable parameter, or null when
    /// they do not learn it.
    /// </summary>
    public LearnedOperation? Learned { get; init; }

    /// <summary>Whether the operation reads its magnitude.</summary>
    public bool HasMagnitude => Range is not null;

    /// <summary>
    /// Applies the operation after checking the arguments: uint8 <c>[N, C, H, W]</c> images with
    /// 1 or 3 channels (3 when <see cref="NeedsRgb"/>), <c>[N]</c> magnitudes and <c>[N, 2]</c> positions.
    /// </summary>
    /// <exception cref="DaboException">A 1-channel batch for an operation that needs RGB.</exception>
    public Tensor ApplyChecked(Tensor images, Tensor magnitudes, Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(magnitudes);
        ArgumentNullException.ThrowIfNull(positions);
        if (images.dtype != ScalarType.Byte || images.ndim != 4)
        {
            throw new ArgumentException($"{Name}: expected uint8 [N, C, H, W] images, got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        }
        var (n, channels) = (images.shape[0], images.shape[1]);
        if (channels is not (1 or 3))
        {
            throw new DaboException($"operation {Name}: images must have 1 or 3 channels, not {channels}");
        }
        if (NeedsRgb && channels != 3)
        {
            throw new DaboException($"operation {Name} needs RGB images (3 channels) but the batch has 1; leave it out for grayscale data");
        }
        if (magnitudes.ndim != 1 || magnitudes.shape[0] != n || positions.ndim != 2 || positions.shape[0] != n || positions.shape[1] != 2)
        {
            throw new ArgumentException($"{Name}: expected [{n}] magnitudes and [{n}, 2] positions, got [{string.Join(", ", magnitudes.shape)}] and [{string.Join(", ", positions.shape)}]");
        }
        return Apply(images, magnitudes.to_type(ScalarType.Float64), positions.to_type(ScalarType.Float32));
    }
}
