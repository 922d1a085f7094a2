using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments;

/// <summary>Aggregates finished runs into per-method results: mean ± sample std over seeds, gain over <c>none</c>.</summary>
public static class ResultsAggregator
{
    /// <summary>Aggregates the finished runs of each method (runs without <c>summary.json</c> are ignored).</summary>
    /// <param name="runsByMethod">Method label → run directories, in display order.</param>
    /// <param name="totalSeconds">Optional override of a method's total wall time (a grid search counts all its runs).</param>
    public static IReadOnlyList<MethodResult> Aggregate(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> runsByMethod,
        IReadOnlyDictionary<string, double>? totalSeconds = null)
    {
        var results = new List<MethodResult>();
        foreach (var (method, dirs) in runsByMethod)
        {
            var summaries = dirs.Select(d => (Dir: d, Summary: new RunDirectory(d).LoadSummary())).Where(t => t.Summary is not null).ToList();
            if (summaries.Count == 0)
            {
                continue;
            }
            var test = summaries.Select(t => t.Summary!.TestAccuracy).ToArray();
            var val = summaries.Where(t => t.Summary!.ValAccuracy is not null).Select(t => t.Summary!.ValAccuracy!.Value).ToArray();
            var wall = summaries.Select(t => t.Summary!.WallSeconds).ToArray();
            results.Add(new MethodResult(
                method,
                summaries.Count,
                test.Average(),
                SampleStd(test),
                val.Length > 0 ? val.Average() : null,
                summaries.Average(t => t.Summary!.TestAccuracyAtBestVal),
                wall.Average(),
                totalSeconds is not null && totalSeconds.TryGetValue(method, out var total) ? total : wall.Sum(),
                null,
                summaries.Select(t => t.Dir).ToList(),
                test));
        }
        var none = results.FirstOrDefault(r => r.Method == "none");
        return none is null ? results : results.Select(r => r with { GainOverNone = r.TestAccuracyMean - none.TestAccuracyMean }).ToList();
    }

    /// <summary>Sample standard deviation (n − 1); 0 for fewer than two values.</summary>
    public static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
