using Dabo.Training;
using Dabo.Training.Policy;

namespace Dabo.Reporting;

/// <summary>
/// The learned policy of one run over its epochs, read from the <c>policy</c> field of its
/// <c>metrics.jsonl</c>: each operation's probability per slot, the KL divergence to the uniform
/// prior and the entropy of the operation choice.
/// </summary>
internal sealed class PolicyHistory
{
    private PolicyHistory(IReadOnlyList<IReadOnlyList<(string Operation, Curve Probability)>> slots, Curve kl, Curve entropy, PolicyStatistics final)
    {
        Slots = slots;
        Kl = kl;
        Entropy = entropy;
        Final = final;
    }

    /// <summary>Per slot, each operation (in the order the metrics list them) with its probability per epoch.</summary>
    public IReadOnlyList<IReadOnlyList<(string Operation, Curve Probability)>> Slots { get; }

    /// <summary>KL divergence to the uniform prior per epoch (nats, summed over slots).</summary>
    public Curve Kl { get; }

    /// <summary>Entropy of the operation choice per epoch (nats, summed over slots).</summary>
    public Curve Entropy { get; }

    /// <summary>The policy statistics of the last epoch that has them.</summary>
    public PolicyStatistics Final { get; }

    /// <summary>The uniform prior of slot <paramref name="slot"/>: 1/K for its K operations.</summary>
    public double Prior(int slot) => 1.0 / Slots[slot].Count;

    /// <summary>Entropy of the uniform prior, Σ_s ln K_s (nats): where <see cref="Entropy"/> starts.</summary>
    public double PriorEntropy => Slots.Sum(s => Math.Log(s.Count));

    /// <summary>The history in <paramref name="metrics"/>, or null when no epoch has policy statistics.</summary>
    public static PolicyHistory? From(IReadOnlyList<EpochMetrics> metrics)
    {
        var epochs = metrics.Where(m => m.Policy is { Slots.Count: > 0 }).OrderBy(m => m.Epoch).ToList();
        if (epochs.Count == 0)
        {
            return null;
        }
        int slotCount = epochs.Max(m => m.Policy!.Slots.Count);
        var slots = new List<IReadOnlyList<(string, Curve)>>();
        for (int s = 0; s < slotCount; s++)
        {
            var rows = epochs.Where(m => m.Policy!.Slots.Count > s)
                .SelectMany(m => m.Policy!.Slots[s].Probabilities.Select(p => (m.Epoch, Operation: p.Key, Probability: p.Value)))
                .Where(r => double.IsFinite(r.Probability))
                .ToList();
            var operations = rows.Select(r => r.Operation).Distinct(StringComparer.Ordinal);
            slots.Add([.. operations.Select(o =>
            {
                var points = rows.Where(r => r.Operation == o).ToList();
                return (o, new Curve([.. points.Select(r => (double)r.Epoch)], [.. points.Select(r => r.Probability)]));
            })]);
        }
        return new PolicyHistory(slots, Over(epochs, p => p.Kl), Over(epochs, p => p.Entropy), epochs[^1].Policy!);
    }

    private static Curve Over(List<EpochMetrics> epochs, Func<PolicyStatistics, double> select)
    {
        var points = epochs.Select(m => (m.Epoch, Value: select(m.Policy!))).Where(p => double.IsFinite(p.Value)).ToList();
        return new([.. points.Select(p => (double)p.Epoch)], [.. points.Select(p => p.Value)]);
    }
}
