namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// The mean of paired differences (a method minus a reference at the same seeds) with a 95 % Student-t
/// interval over seeds: mean ± t(0.975, n − 1) · s / √n. With one seed there is no interval.
/// </summary>
/// <param name="Mean">Mean difference (fraction of the test set; × 100 for points).</param>
/// <param name="Low">Lower end of the 95 % interval; null with fewer than two seeds.</param>
/// <param name="High">Upper end; null with fewer than two seeds.</param>
/// <param name="Seeds">Seeds both have.</param>
public sealed record PairedDifference(double Mean, double? Low, double? High, int Seeds)
{
    /// <summary>The paired difference of <paramref name="method"/> against <paramref name="reference"/> (accuracy by seed), over the seeds both have; null when they share none.</summary>
    public static PairedDifference? Of(IReadOnlyDictionary<int, double> method, IReadOnlyDictionary<int, double> reference)
    {
        var differences = method.Keys.Where(reference.ContainsKey).Order().Select(s => method[s] - reference[s]).ToList();
        if (differences.Count == 0)
        {
            return null;
        }
        double mean = differences.Average();
        if (differences.Count < 2)
        {
            return new PairedDifference(mean, null, null, 1);
        }
        double half = StudentT.Quantile975(differences.Count - 1) * ResultsAggregator.SampleStd(differences) / Math.Sqrt(differences.Count);
        return new PairedDifference(mean, mean - half, mean + half, differences.Count);
    }

    /// <summary>Whether the interval excludes zero (a resolved difference).</summary>
    public bool Resolved => Low > 0 || High < 0;
}

/// <summary>Quantiles of Student's t distribution.</summary>
public static class StudentT
{
    // t(0.975, df) for df = 1 … 30.
    private static readonly double[] Table =
    [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];

    /// <summary>The 97.5 % quantile for <paramref name="df"/> degrees of freedom (the half-width factor of a 95 % interval).</summary>
    public static double Quantile975(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        if (df <= Table.Length)
        {
            return Table[df - 1];
        }
        // Cornish–Fisher expansion around the normal quantile: within 1e-4 beyond 30 degrees of freedom.
        const double z = 1.959964;
        return z + ((z * z * z) + z) / (4.0 * df) + ((5 * Math.Pow(z, 5)) + (16 * z * z * z) + (3 * z)) / (96.0 * df * df);
    }
}
