using Dabo.Augmentation.Operations;
using Dabo.Training.Policy;

namespace Dabo.Reporting;

/// <summary>The final learned policy of a method as table rows: per operation and slot, the probability averaged over seeds.</summary>
internal static class PolicyTable
{
    /// <summary>
    /// Rows for the last-epoch policies <paramref name="finals"/> (one per seed), sorted by the first
    /// slot's probability, highest first; the signal column comes from <paramref name="signal"/>.
    /// </summary>
    public static IReadOnlyList<PolicyRow> Rows(IReadOnlyList<PolicyStatistics> finals, IReadOnlyDictionary<string, double>? signal)
    {
        if (finals.Count == 0)
        {
            return [];
        }
        int slotCount = finals.Max(f => f.Slots.Count);
        var slots = Enumerable.Range(0, slotCount)
            .Select(s => finals.Where(f => f.Slots.Count > s).Select(f => f.Slots[s]).ToList())
            .ToList();
        var operations = slots.SelectMany(s => s.SelectMany(x => x.Probabilities.Keys)).Distinct(StringComparer.Ordinal).ToList();
        var priors = slots.Select(s => 1.0 / Math.Max(1, s.SelectMany(x => x.Probabilities.Keys).Distinct(StringComparer.Ordinal).Count())).ToList();
        var rows = operations.Select(o => new PolicyRow(
            o,
            UnitOf(o),
            [.. slots.Select((s, i) => new PolicyCell(Mean(o, s.Select(x => x.Probabilities)), priors[i], Mean(o, s.Select(x => x.MeanMagnitudes))))],
            signal is not null && signal.TryGetValue(o, out double t) && double.IsFinite(t) ? t : null));
        return [.. rows.OrderByDescending(r => r.Slots[0].Probability ?? -1).ThenBy(r => r.Operation, StringComparer.Ordinal)];

        static double? Mean(string operation, IEnumerable<IReadOnlyDictionary<string, double>> values)
        {
            var present = values.Select(v => v.TryGetValue(operation, out double x) ? x : double.NaN).Where(double.IsFinite).ToList();
            return present.Count == 0 ? null : present.Average();
        }
    }

    private static string UnitOf(string operation) =>
        OperationTable.All.FirstOrDefault(op => string.Equals(op.Name, operation, StringComparison.OrdinalIgnoreCase))?.Unit ?? "";
}
