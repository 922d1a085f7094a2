using Dabo.Augmentation.Differentiable;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// What a learned augmenter ended with, as a box of ranges: per parameter the values it draws
/// (<see cref="LearnedParameterRange.Min"/> to <see cref="LearnedParameterRange.Max"/>) and the share
/// of images it transforms. For the <see cref="AugmenterParametrization.Ranges"/> parametrization
/// this is exact: each parameter is uniform on its range, independently, on a share
/// <see cref="ApplyProbability"/> of the images. The <see cref="AugmenterParametrization.Mlp"/>
/// parametrization draws from a distribution that is not a box; its ranges are estimated from
/// draws (<see cref="Estimated"/>, the central <see cref="Coverage"/> of each parameter's values).
/// Written as <c>policy.json</c> (<see cref="Policies.RangesFile"/>) and replayed by <c>--augment policy:FILE</c>.
/// </summary>
/// <param name="Augmenter">Registry name of the augmenter (e.g. <c>learned-affine</c>).</param>
/// <param name="Parametrization">How the augmenter drew its parameters.</param>
/// <param name="Channels">Channels of the data it was learned on.</param>
/// <param name="ApplyProbability">Share of images transformed; the others pass untouched.</param>
/// <param name="Padding">What geometric transformations show outside the image.</param>
/// <param name="Estimated">Whether the ranges are estimated from draws (MLP) rather than read from the parameters.</param>
/// <param name="Coverage">For estimated ranges, the central share of each parameter's draws they cover (e.g. 0.95); null otherwise.</param>
/// <param name="Samples">For estimated ranges, the number of draws; null otherwise.</param>
/// <param name="Parameters">The ranges, in the augmenter's parameter order.</param>
public sealed record LearnedRanges(
    string Augmenter,
    AugmenterParametrization Parametrization,
    int Channels,
    double ApplyProbability,
    PaddingMode Padding,
    bool Estimated,
    double? Coverage,
    int? Samples,
    IReadOnlyList<LearnedParameterRange> Parameters)
{
    /// <summary>Central share of the draws that estimated ranges cover: from the 2.5th to the 97.5th percentile.</summary>
    public const double DefaultCoverage = 0.95;

    /// <summary>Draws used to estimate the ranges of an MLP augmenter.</summary>
    public const int DefaultSamples = 8192;

    /// <summary>Seed offset of the private generator used for the estimate (the training noise stream is untouched).</summary>
    private const long EstimateSeedOffset = 0x0005_EED0_4A46;

    /// <summary>
    /// The ranges of <paramref name="augmenter"/>, without gradients: for <see cref="RangeAugmenter"/>
    /// its outputs at the noise's extremes (−1 and +1, exact); for other parametrizations the
    /// percentiles of <paramref name="samples"/> draws that cover <see cref="DefaultCoverage"/>.
    /// </summary>
    /// <param name="augmenter">A learned augmenter.</param>
    /// <param name="samples">Draws for an estimate (at least 100).</param>
    public static LearnedRanges Of(Augmenter augmenter, int samples = DefaultSamples)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 100);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var specs = augmenter.Specs;
        int p = specs.Count;
        double[] min;
        double[] max;
        bool exact = augmenter is RangeAugmenter;
        if (exact)
        {
            // value = identity + range · (c + a · u) is monotone in u: its extremes are at u = ∓1.
            var extremes = augmenter.GenerateParameters(tensor(new double[] { -1, 1 }).view(2, 1).expand(2, p).contiguous())
                .to_type(ScalarType.Float64).cpu();
            min = [.. extremes[0].data<double>()];
            max = [.. extremes[1].data<double>()];
        }
        else
        {
            using var generator = new Generator(unchecked((ulong)(augmenter.Options.Seed + EstimateSeedOffset)), CPU);
            var noise = rand(new long[] { samples, augmenter.NoiseSize }, generator: generator) * 2.0 - 1.0;
            var values = augmenter.GenerateParameters(noise).to_type(ScalarType.Float64).cpu();
            var sorted = values.sort(0).Values;
            double tail = (1 - DefaultCoverage) / 2;
            min = [.. Enumerable.Range(0, p).Select(j => Quantile(sorted, j, tail))];
            max = [.. Enumerable.Range(0, p).Select(j => Quantile(sorted, j, 1 - tail))];
        }
        var parameters = specs.Select((s, j) => new LearnedParameterRange(s.Name, s.Unit, s.Identity,
            Math.Min(min[j], max[j]), Math.Max(min[j], max[j]), s.MaxRange)).ToList();
        return new LearnedRanges(augmenter.Kind, augmenter.Options.Parametrization, augmenter.Channels, augmenter.Options.ApplyProbability,
            augmenter.Options.Padding, !exact, exact ? null : DefaultCoverage, exact ? null : samples, parameters);
    }

    /// <summary>The range of the parameter named <paramref name="name"/>, or null.</summary>
    /// <param name="name">A parameter name (e.g. <c>rotate</c>).</param>
    public LearnedParameterRange? Find(string name) => Parameters.FirstOrDefault(r => r.Name == name);

    // Linear interpolation between order statistics of column j of a column-sorted [n, P] tensor.
    private static double Quantile(Tensor sorted, int column, double q)
    {
        long n = sorted.shape[0];
        double position = q * (n - 1);
        long below = (long)Math.Floor(position);
        long above = Math.Min(below + 1, n - 1);
        double low = sorted[below, column].item<double>();
        double high = sorted[above, column].item<double>();
        return low + ((position - below) * (high - low));
    }
}
