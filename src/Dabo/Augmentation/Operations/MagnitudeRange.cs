namespace Dabo.Augmentation.Operations;

/// <summary>
/// How a policy turns a magnitude bin into an operation's magnitude: bin 0 gives
/// <see cref="Start"/>, the last bin <see cref="End"/>, linearly in between (rounded to whole
/// numbers for <see cref="Integer"/> ranges such as posterize's bits).
/// </summary>
/// <param name="Start">Magnitude of bin 0 (the mildest setting).</param>
/// <param name="End">Magnitude of the last bin (the strongest setting).</param>
/// <param name="Integer">Whether magnitudes are rounded to whole numbers (half to even, as torch's <c>round</c>).</param>
/// <example>TrivialAugment-Wide's rotation, <c>new MagnitudeRange(0, 135)</c> with 31 bins: bin 10 is 45°.
/// Its posterize, <c>new MagnitudeRange(8, 2, Integer: true)</c>: bin 10 is 8 − round(2) = 6 bits.</example>
public sealed record MagnitudeRange(double Start, double End, bool Integer = false)
{
    /// <summary>The magnitude of bin <paramref name="bin"/> out of <paramref name="bins"/>.</summary>
    /// <param name="bin">In [0, <paramref name="bins"/>).</param>
    /// <param name="bins">Number of bins (≥ 2).</param>
    public double At(int bin, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(bin);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bin, bins);
        var value = Start + (End - Start) * bin / (bins - 1);
        return Integer ? Math.Round(value, MidpointRounding.ToEven) : value;
    }

}
