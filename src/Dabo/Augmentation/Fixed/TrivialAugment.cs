using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>trivialaugment</c> baseline, TrivialAugment Wide (Müller &amp; Hutter 2021): each image
/// gets one operation drawn uniformly from 14, at a magnitude drawn uniformly from 31 bins, with a
/// random sign for signed operations. Randomness comes from the generator passed to
/// <see cref="Apply"/>, not from torch's global RNG.
/// </summary>
/// <remarks>
/// The operations are TorchVision's own (<c>autoaugment.apply_op</c>); only the sampling is ours,
/// because TorchVision for .NET 0.107's <c>TrivialAugmentWide</c> never negates the magnitude
/// (measured: a centred dot was translated right 20 and down 11 times in 500 draws, never left
/// or up), unlike PyTorch's torchvision, which flips the sign with probability ½. That
/// TorchVision transform is still available with <c>torchVisionSampling: true</c>.
/// </remarks>
public sealed class TrivialAugment : torchvision.autoaugment, IFixedAugmentation
{
    // TrivialAugment Wide's augmentation space, in PyTorch torchvision's order:
    // (operation, largest magnitude, signed).
    private static readonly (opType Op, double Max, bool Signed)[] Space =
    [
        (opType.Identity, 0, false),
        (opType.ShearX, 0.99, true),
        (opType.ShearY, 0.99, true),
        (opType.TranslateX, 32, true),
        (opType.TranslateY, 32, true),
        (opType.Rotate, 135, true),
        (opType.Brightness, 0.99, true),
        (opType.Color, 0.99, true),
        (opType.Contrast, 0.99, true),
        (opType.Sharpness, 0.99, true),
        (opType.Posterize, 0, false),
        (opType.Solarize, 255, false),
        (opType.AutoContrast, 0, false),
        (opType.Equalize, 0, false),
    ];

    /// <summary>Creates the policy.</summary>
    /// <param name="magnitudeBins">Number of magnitude bins (31 in the paper).</param>
    /// <param name="torchVisionSampling">
    /// Use TorchVision for .NET's <c>TrivialAugmentWide</c> as is (positive magnitudes only)
    /// instead of PyTorch's sampling.
    /// </param>
    public TrivialAugment(int magnitudeBins = 31, bool torchVisionSampling = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(magnitudeBins, 2);
        MagnitudeBins = magnitudeBins;
        TorchVisionSampling = torchVisionSampling;
    }

    /// <summary>Number of magnitude bins.</summary>
    public int MagnitudeBins { get; }

    /// <summary>Whether TorchVision for .NET's own (sign-less) sampler is used.</summary>
    public bool TorchVisionSampling { get; }

    /// <inheritdoc />
    public string Name => "trivialaugment";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (TorchVisionSampling)
        {
            var policy = torchvision.transforms.TrivialAugmentWide(MagnitudeBins, generator: generator);
            return PerImage.Apply(images, Name, (image, _) => policy.call(image));
        }
        FixedAugmentationChecks.RequireBatch(images, Name);
        var n = images.shape[0];
        // All draws for the batch at once: operation, magnitude bin and sign per image.
        long[] draws;
        using (var ops = torch.randint(0, Space.Length, [n], generator: generator, dtype: ScalarType.Int64))
        using (var bins = torch.randint(0, MagnitudeBins, [n], generator: generator, dtype: ScalarType.Int64))
        using (var signs = torch.randint(0, 2, [n], generator: generator, dtype: ScalarType.Int64))
        using (var all = torch.stack([ops, bins, signs], 1))
        {
            draws = all.data<long>().ToArray();
        }
        return PerImage.Apply(images, Name, (image, i) =>
        {
            var (op, bin, negate) = (draws[3 * i], draws[3 * i + 1], draws[3 * i + 2] == 1);
            return apply_op(image, Space[op].Op, Magnitude(op, bin, negate), InterpolationMode.Nearest, fill: null);
        });
    }

    /// <summary>The magnitude of bin <paramref name="bin"/> for operation index <paramref name="op"/>.</summary>
    private double Magnitude(long op, long bin, bool negate)
    {
        var (kind, max, signed) = Space[op];
        if (kind == opType.Posterize)
        {
            // PyTorch: 8 - round(bin / ((bins - 1) / 6)), i.e. 8 bits down to 2.
            return 8 - Math.Round(bin / ((MagnitudeBins - 1) / 6.0), MidpointRounding.ToEven);
        }
        var fraction = (double)bin / (MagnitudeBins - 1);
        // Solarize's threshold falls from 255 to 0 across the bins; the others rise from 0.
        var magnitude = kind == opType.Solarize ? max * (1 - fraction) : max * fraction;
        return signed && negate ? -magnitude : magnitude;
    }
}
