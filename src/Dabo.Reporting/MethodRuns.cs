using Dabo.Experiments;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Reporting;

/// <summary>The metrics of the runs of one method, read from their run directories.</summary>
internal sealed class MethodRuns
{
    private MethodRuns(MethodResult result, IReadOnlyList<(RunDirectory Run, List<EpochMetrics> Metrics)> runs)
    {
        Result = result;
        Runs = runs;
    }

    /// <summary>The aggregated result.</summary>
    public MethodResult Result { get; }

    /// <summary>Each run directory with its metrics (empty when the directory holds none).</summary>
    public IReadOnlyList<(RunDirectory Run, List<EpochMetrics> Metrics)> Runs { get; }

    /// <summary>Reads the metrics of every run of <paramref name="result"/>.</summary>
    public static MethodRuns Load(MethodResult result) =>
        new(result, [.. result.RunDirectories.Select(d => new RunDirectory(d)).Select(r => (r, r.LoadMetrics()))]);

    /// <summary>Mean over runs, per epoch, of <paramref name="select"/>; epochs where no run has a value are left out.</summary>
    public Curve Mean(Func<EpochMetrics, double?> select)
    {
        var byEpoch = Runs.SelectMany(r => r.Metrics)
            .Select(m => (m.Epoch, Value: select(m)))
            .Where(p => p.Value is double v && double.IsFinite(v))
            .GroupBy(p => p.Epoch)
            .OrderBy(g => g.Key)
            .ToList();
        return new([.. byEpoch.Select(g => (double)g.Key)], [.. byEpoch.Select(g => g.Average(p => p.Value!.Value))]);
    }

    /// <summary>The first run that has metrics, or null.</summary>
    public (RunDirectory Run, List<EpochMetrics> Metrics)? FirstRunWithMetrics =>
        Runs.Where(r => r.Metrics.Count > 0).Select(r => ((RunDirectory, List<EpochMetrics>)?)r).FirstOrDefault();

    /// <summary>The learned parameters of the first run with metrics, in the order they first appear.</summary>
    public IReadOnlyList<ParameterCurve> LearnedParameters()
    {
        if (FirstRunWithMetrics is not { } first)
        {
            return [];
        }
        var rows = first.Metrics
            .Where(m => m.Augmenter is not null)
            .SelectMany(m => m.Augmenter!.Select(p => (m.Epoch, Stat: p)))
            .Where(r => double.IsFinite(r.Stat.Mean) && double.IsFinite(r.Stat.Std))
            .ToList();
        return [.. rows.GroupBy(r => (r.Stat.Name, r.Stat.Unit)).Select(g =>
        {
            var ordered = g.OrderBy(r => r.Epoch).ToList();
            return new ParameterCurve(g.Key.Name, g.Key.Unit,
                new Curve([.. ordered.Select(r => (double)r.Epoch)], [.. ordered.Select(r => r.Stat.Mean)]),
                [.. ordered.Select(r => r.Stat.Std)]);
        })];
    }

    /// <summary>The runs whose metrics record a learned policy (<c>learned-policy</c>), in the order of the runs (seeds).</summary>
    public IReadOnlyList<(RunDirectory Run, PolicyHistory History)> PolicyRuns() =>
        [.. Runs.Select(r => (r.Run, History: PolicyHistory.From(r.Metrics))).Where(r => r.History is not null).Select(r => (r.Run, r.History!))];

    /// <summary>The <c>augment.png</c> of the first run that has one, or null.</summary>
    public RunDirectory? FirstRunWithAugmentImage =>
        Runs.Select(r => r.Run).FirstOrDefault(r => File.Exists(r.AugmentImageFile));
}
