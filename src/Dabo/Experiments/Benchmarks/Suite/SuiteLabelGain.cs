namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// What training on every labelled image gains a method over training on 80 % of them, in one cell: the
/// paired difference user protocol − 800/200 at the same seeds. It is the price a method that holds 20 % out
/// for validation has to make up.
/// </summary>
/// <param name="Method">The suite's method.</param>
/// <param name="Dataset">Dataset.</param>
/// <param name="Schedule">Schedule.</param>
/// <param name="Difference">User-protocol accuracy minus 800/200 accuracy, paired over the seeds both columns have.</param>
public sealed record SuiteLabelGain(string Method, string Dataset, string Schedule, PairedDifference Difference)
{
    /// <summary>The cell's name, <c>dataset/schedule</c>.</summary>
    public string Cell => $"{Dataset}/{Schedule}";

    /// <summary>
    /// The gains of every method and cell that has runs in both columns. A seed whose run is the same in both
    /// columns (a learned method holds out in both) is not a pair; a method with no other pair is left out.
    /// </summary>
    public static IReadOnlyList<SuiteLabelGain> Over(IReadOnlyList<SuiteCell> cells)
    {
        var gains = new List<SuiteLabelGain>();
        foreach (var user in cells.Where(c => c.Protocol == SuiteProtocol.User))
        {
            var split = cells.FirstOrDefault(c => c.Protocol == SuiteProtocol.Split && c.Dataset == user.Dataset && c.Schedule == user.Schedule);
            if (split is null)
            {
                continue;
            }
            foreach (var method in user.Methods)
            {
                var other = split.Methods.FirstOrDefault(m => m.Method == method.Method);
                if (other is null)
                {
                    continue;
                }
                var shared = other.Runs.ToDictionary(r => r.Seed);
                var pairs = method.Runs.Where(r => shared.TryGetValue(r.Seed, out var s) && !string.Equals(s.Directory, r.Directory, StringComparison.Ordinal)).ToList();
                var difference = PairedDifference.Of(pairs.ToDictionary(r => r.Seed, r => r.TestAccuracy), pairs.ToDictionary(r => r.Seed, r => shared[r.Seed].TestAccuracy));
                if (difference is not null)
                {
                    gains.Add(new SuiteLabelGain(method.Method, user.Dataset, user.Schedule, difference));
                }
            }
        }
        return gains;
    }
}
