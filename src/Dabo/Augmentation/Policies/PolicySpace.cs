using Dabo.Augmentation.Operations;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>An operation of a policy with the magnitude range that policy gives it (null: no magnitude).</summary>
/// <param name="Operation">The operation, from <see cref="OperationTable"/>.</param>
/// <param name="Range">Its magnitude range in this policy.</param>
public sealed record PolicyEntry(Operation Operation, MagnitudeRange? Range);

/// <summary>
/// What a policy draws from: operations with their magnitude ranges, and the number of magnitude
/// bins. TrivialAugment-Wide's space takes the ranges of <see cref="OperationTable"/>; RandAugment
/// and AutoAugment narrow some of them, as in torchvision.
/// </summary>
public sealed class PolicySpace
{
    private readonly double[] _magnitudes;

    /// <summary>Creates a space.</summary>
    /// <param name="entries">The operations (at least one).</param>
    /// <param name="bins">Magnitude bins (≥ 2).</param>
    public PolicySpace(IReadOnlyList<PolicyEntry> entries, int bins)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if (entries.Count == 0)
        {
            throw new ArgumentException("a policy space needs at least one operation", nameof(entries));
        }
        Entries = entries;
        Bins = bins;
        Operations = entries.Select(e => e.Operation).ToList();
        _magnitudes = new double[entries.Count * bins];
        for (int k = 0; k < entries.Count; k++)
        {
            for (int b = 0; b < bins; b++)
            {
                _magnitudes[k * bins + b] = entries[k].Range?.At(b, bins) ?? 0;
            }
        }
    }

    /// <summary>The operations with their ranges.</summary>
    public IReadOnlyList<PolicyEntry> Entries { get; }

    /// <summary>The operations alone, in the same order.</summary>
    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>Number of magnitude bins.</summary>
    public int Bins { get; }

    /// <summary>Number of operations.</summary>
    public int Count => Entries.Count;

    /// <summary>
    /// TrivialAugment-Wide's space (the table's 14 policy operations and ranges; 13 without colour
    /// on grayscale data, where a saturation change is the identity).
    /// </summary>
    /// <param name="channels">1 or 3.</param>
    /// <param name="bins">Magnitude bins (31 in the paper).</param>
    public static PolicySpace TrivialAugmentWide(int channels, int bins = 31) =>
        new(OperationTable.PolicySet(channels).Select(o => new PolicyEntry(o, o.Range)).ToList(), bins);

    /// <summary>
    /// RandAugment's space as in torchvision: the same 14 operations (13 on grayscale data) with
    /// narrower ranges: shear 0.3, translation 150/331 of the size, rotation 30°, enhance factors
    /// 1 ± 0.9, posterize 8 → 4 bits, solarize 1 → 0.
    /// </summary>
    /// <param name="channels">1 or 3.</param>
    /// <param name="bins">Magnitude bins (31 in torchvision).</param>
    public static PolicySpace RandAugmentRanges(int channels, int bins = 31) =>
        new(OperationTable.PolicySet(channels).Select(o => new PolicyEntry(o, NarrowRange(o))).ToList(), bins);

    /// <summary>
    /// The ranges of RandAugment and AutoAugment (torchvision's, which AutoAugment's published
    /// policies were searched with), for <paramref name="operation"/>.
    /// </summary>
    public static MagnitudeRange? NarrowRange(Operation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Name switch
        {
            "shear-x" or "shear-y" => new MagnitudeRange(0, 0.3),
            "translate-x" or "translate-y" => new MagnitudeRange(0, 150.0 / 331.0),
            "rotate" => new MagnitudeRange(0, 30),
            "brightness" or "color" or "contrast" or "sharpness" => new MagnitudeRange(0, 0.9),
            "posterize" => new MagnitudeRange(8, 4, Integer: true),
            _ => operation.Range,
        };
    }

    /// <summary>Index of the operation called <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name)
    {
        for (int k = 0; k < Count; k++)
        {
            if (Operations[k].Name == name)
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>
    /// Magnitudes <c>float64</c> for operation indices and bins of the same shape, negated where
    /// <paramref name="negate"/> is true and the operation is signed; 0 for operations without one.
    /// </summary>
    /// <param name="operations">int64 indices into <see cref="Operations"/>.</param>
    /// <param name="bins">int64 bins in [0, <see cref="Bins"/>).</param>
    /// <param name="negate">bool, same shape.</param>
    public Tensor Magnitudes(Tensor operations, Tensor bins, Tensor negate)
    {
        using var scope = NewDisposeScope();
        var table = tensor(_magnitudes, ScalarType.Float64);
        var signed = tensor(Entries.Select(e => e.Operation.Signed).ToArray());
        var magnitude = table.index_select(0, (operations * Bins + bins).view(-1)).view(operations.shape);
        var flip = negate & signed.index_select(0, operations.view(-1)).view(operations.shape);
        return where(flip, -magnitude, magnitude).MoveToOuterDisposeScope();
    }
}
