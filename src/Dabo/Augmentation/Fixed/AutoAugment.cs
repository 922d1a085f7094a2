using Dabo.Augmentation.Operations;
using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;
using Policy = TorchSharp.torchvision.autoaugment.AutoAugmentPolicy;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>autoaugment</c> baseline (Cubuk et al. 2018): one of the 25 published sub-policies per
/// image (CIFAR-10's by default), each two operations applied with their own probability at a fixed
/// magnitude bin of 10, negated with probability ½ for signed operations — torchvision's
/// <c>AutoAugment</c>, batched on <see cref="OperationTable"/>. On grayscale data colour (a
/// saturation change, the identity on a grey image) is replaced by the identity. Randomness comes
/// from the generator passed to <see cref="Apply"/>.
/// </summary>
public sealed class AutoAugment : IFixedAugmentation
{
    private const int Bins = 10;

    // The published sub-policies, as in torchvision: "operation probability bin" twice, "-" for no bin.
    private static readonly Dictionary<Policy, string[]> SubPolicies = new()
    {
        [Policy.CIFAR10] =
        [
            "invert 0.1 -, contrast 0.2 6", "rotate 0.7 2, translate-x 0.3 9", "sharpness 0.8 1, sharpness 0.9 3",
            "shear-y 0.5 8, translate-y 0.7 9", "autocontrast 0.5 -, equalize 0.9 -", "shear-y 0.2 7, posterize 0.3 7",
            "color 0.4 3, brightness 0.6 7", "sharpness 0.3 9, brightness 0.7 9", "equalize 0.6 -, equalize 0.5 -",
            "contrast 0.6 7, sharpness 0.6 5", "color 0.7 7, translate-x 0.5 8", "equalize 0.3 -, autocontrast 0.4 -",
            "translate-y 0.4 3, sharpness 0.2 6", "brightness 0.9 6, color 0.2 8", "solarize 0.5 2, invert 0.0 -",
            "equalize 0.2 -, autocontrast 0.6 -", "equalize 0.2 -, equalize 0.6 -", "color 0.9 9, equalize 0.6 -",
            "autocontrast 0.8 -, solarize 0.2 8", "brightness 0.1 3, color 0.7 0", "solarize 0.4 5, autocontrast 0.9 -",
            "translate-y 0.9 9, translate-y 0.7 9", "autocontrast 0.9 -, solarize 0.8 3", "equalize 0.8 -, invert 0.1 -",
            "translate-y 0.7 9, autocontrast 0.9 -",
        ],
        [Policy.SVHN] =
        [
            "shear-x 0.9 4, invert 0.2 -", "shear-y 0.9 8, invert 0.7 -", "equalize 0.6 -, solarize 0.6 6",
            "invert 0.9 -, equalize 0.6 -", "equalize 0.6 -, rotate 0.9 3", "shear-x 0.9 4, autocontrast 0.8 -",
            "shear-y 0.9 8, invert 0.4 -", "shear-y 0.9 5, solarize 0.2 6", "invert 0.9 -, autocontrast 0.8 -",
            "equalize 0.6 -, rotate 0.9 3", "shear-x 0.9 4, solarize 0.3 3", "shear-y 0.8 8, invert 0.7 -",
            "equalize 0.9 -, translate-y 0.6 6", "invert 0.9 -, equalize 0.6 -", "contrast 0.3 3, rotate 0.8 4",
            "invert 0.8 -, translate-y 0.0 2", "shear-y 0.7 6, solarize 0.4 8", "invert 0.6 -, rotate 0.8 4",
            "shear-y 0.3 7, translate-x 0.9 3", "shear-x 0.1 6, invert 0.6 -", "solarize 0.7 2, translate-y 0.6 7",
            "shear-y 0.8 4, invert 0.8 -", "shear-x 0.7 9, translate-y 0.8 3", "shear-y 0.8 5, autocontrast 0.7 -",
            "shear-x 0.7 2, invert 0.1 -",
        ],
        [Policy.ImageNet] =
        [
            "posterize 0.4 8, rotate 0.6 9", "solarize 0.6 5, autocontrast 0.6 -", "equalize 0.8 -, equalize 0.6 -",
            "posterize 0.6 7, posterize 0.6 6", "equalize 0.4 -, solarize 0.2 4", "equalize 0.4 -, rotate 0.8 8",
            "solarize 0.6 3, equalize 0.6 -", "posterize 0.8 5, equalize 1.0 -", "rotate 0.2 3, solarize 0.6 8",
            "equalize 0.6 -, posterize 0.4 6", "rotate 0.8 8, color 0.4 0", "rotate 0.4 9, equalize 0.6 -",
            "equalize 0.0 -, equalize 0.8 -", "invert 0.6 -, equalize 1.0 -", "color 0.6 4, contrast 1.0 8",
            "rotate 0.8 8, color 1.0 2", "color 0.8 8, solarize 0.8 7", "sharpness 0.4 7, invert 0.6 -",
            "shear-x 0.6 5, equalize 1.0 -", "color 0.4 0, equalize 0.6 -", "equalize 0.4 -, solarize 0.2 4",
            "solarize 0.6 5, autocontrast 0.6 -", "invert 0.6 -, equalize 1.0 -", "color 0.6 4, contrast 1.0 8",
            "equalize 0.8 -, equalize 0.6 -",
        ],
    };

    private readonly PolicySpaceCache _spaces = new(BuildSpace);

    /// <summary>Creates the policy.</summary>
    /// <param name="policy">The learned policy: CIFAR10 (default), SVHN or ImageNet.</param>
    public AutoAugment(Policy policy = Policy.CIFAR10)
    {
        if (!SubPolicies.ContainsKey(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown AutoAugment policy");
        }
        Policy = policy;
    }

    /// <summary>The learned policy.</summary>
    public Policy Policy { get; }

    /// <inheritdoc />
    public string Name => "autoaugment";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var space = _spaces.For(images);
        var (operations, probabilities, bins) = Table(space);
        var n = images.shape[0];
        // torchvision's draws per image: the sub-policy, two probabilities, two signs.
        var chosen = randint(0, operations.shape[0], [n], generator: generator, dtype: ScalarType.Int64);
        var u = rand([2, n], generator: generator, dtype: ScalarType.Float64);
        var negate = randint(0, 2, [2, n], generator: generator, dtype: ScalarType.Int64).to_type(ScalarType.Bool);
        var positions = rand([2, n, 2], generator: generator);
        var applied = u < probabilities.index_select(0, chosen).t();
        var identity = space.IndexOf("identity");
        var slotOperations = where(applied, operations.index_select(0, chosen).t(), identity);
        var slotBins = bins.index_select(0, chosen).t().contiguous();
        var draw = new SlotDraw(slotOperations.contiguous(), slotBins, negate, positions);
        return draw.Apply(images, space).MoveToOuterDisposeScope();
    }

    private static PolicySpace BuildSpace(int channels)
    {
        string[] names = ["identity", "shear-x", "shear-y", "translate-x", "translate-y", "rotate", "brightness", "color", "contrast", "sharpness", "posterize", "solarize", "autocontrast", "equalize", "invert"];
        var operations = names.Select(OperationTable.Get).Where(o => channels == 3 || !o.NeedsRgb);
        return new PolicySpace(operations.Select(o => new PolicyEntry(o, PolicySpace.NarrowRange(o))).ToList(), Bins);
    }

    /// <summary>The sub-policies as <c>[25, 2]</c> operation indices, probabilities and bins.</summary>
    private (Tensor Operations, Tensor Probabilities, Tensor Bins) Table(PolicySpace space)
    {
        var rows = SubPolicies[Policy];
        var operations = new long[rows.Length * 2];
        var probabilities = new double[rows.Length * 2];
        var bins = new long[rows.Length * 2];
        for (int r = 0; r < rows.Length; r++)
        {
            var slots = rows[r].Split(", ");
            for (int s = 0; s < 2; s++)
            {
                var parts = slots[s].Split(' ');
                var index = space.IndexOf(parts[0]);
                // Colour on a grey image is the identity (torchvision's adjust_saturation leaves one channel alone).
                operations[2 * r + s] = index >= 0 ? index : space.IndexOf("identity");
                probabilities[2 * r + s] = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                bins[2 * r + s] = parts[2] == "-" ? 0 : long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return (tensor(operations, [rows.Length, 2]), tensor(probabilities, [rows.Length, 2]), tensor(bins, [rows.Length, 2]));
    }
}
