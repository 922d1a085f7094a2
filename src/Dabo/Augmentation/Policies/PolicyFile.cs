using System.Text.Json;
using System.Text.Json.Serialization;
using Dabo.Augmentation.Operations;
using Dabo.IO;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>policy.json</c>: a policy's probabilities as a person (or another tool) reads them. Per slot,
/// each operation with its probability, unit, magnitude range and the probability of each of its
/// magnitude bins. <c>--augment policy:FILE</c> trains with such a policy, fixed.
/// </summary>
public static class PolicyFile
{
    /// <summary>Format tag written in every file.</summary>
    public const string Format = "dabo-policy-v1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="policy"/> to <paramref name="path"/> (atomically).</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="path">Destination file.</param>
    /// <param name="channels">Channels of the data it was learned on.</param>
    public static void Write(PolicyDistribution policy, string path, int channels)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var scope = NewDisposeScope();
        var ops = policy.OperationProbabilities().to_type(ScalarType.Float64).data<double>().ToArray();
        var bins = policy.MagnitudeProbabilities().to_type(ScalarType.Float64).data<double>().ToArray();
        var (k, b) = (policy.Space.Count, policy.Space.Bins);
        var slots = new List<SlotModel>();
        for (int s = 0; s < policy.Slots; s++)
        {
            var operations = new List<OperationModel>();
            for (int o = 0; o < k; o++)
            {
                var entry = policy.Space.Entries[o];
                var magnitude = entry.Range is null ? null : bins.AsSpan((s * k + o) * b, b).ToArray();
                operations.Add(new OperationModel(
                    entry.Operation.Name,
                    Math.Round(ops[s * k + o], 6),
                    entry.Operation.Unit.Length == 0 ? null : entry.Operation.Unit,
                    entry.Range?.Start,
                    entry.Range?.End,
                    entry.Range?.Integer ?? false,
                    entry.Operation.Signed,
                    magnitude?.Select(p => Math.Round(p, 6)).ToArray(),
                    magnitude is null ? null : Math.Round(Enumerable.Range(0, b).Sum(i => magnitude[i] * Math.Abs(entry.Range!.At(i, b))), 6)));
            }
            slots.Add(new SlotModel(operations));
        }
        var model = new FileModel(Format, channels, b, slots);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(model, Json));
    }

    /// <summary>Most magnitude bins a file may have (learned policies use 31).</summary>
    public const int MaxBins = 1000;

    /// <summary>
    /// How far a slot's probabilities (or an operation's magnitude-bin probabilities) may sum from 1,
    /// per entry: the file rounds each to 6 decimals (at most 5e-7 off). Sums within it are
    /// renormalized; sums farther from 1 are refused.
    /// </summary>
    public const double SumTolerancePerEntry = 1e-6;

    private static readonly string[] RootKeys = ["format", "channels", "bins", "slots"];
    private static readonly string[] SlotKeys = ["operations"];
    private static readonly string[] OperationKeys = ["name", "probability", "unit", "range_start", "range_end", "integer", "signed", "magnitude_probabilities", "mean_magnitude"];

    /// <summary>
    /// Reads a policy written by <see cref="Write"/> (or by hand) and checks it against its schema and
    /// the table of operations: types, counts (1 to <see cref="PolicyArguments.MaxSlots"/> slots, 2 to
    /// <see cref="MaxBins"/> bins), names (known, each once, the same in every slot), probabilities
    /// (in [0, 1], summing to 1), magnitude ranges (within each operation's own range, in its direction,
    /// the same in every slot) and channels (colour operations only with 3).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The distribution and the channels it was learned on.</returns>
    /// <exception cref="DaboException">Missing, unreadable or invalid file: one line naming it and the key.</exception>
    public static (PolicyDistribution Policy, int Channels) Read(string path)
    {
        using var document = PolicyJson.Parse(path);
        var root = document.RootElement;
        string format = PolicyJson.String(root, "format", path);
        if (format != Format)
        {
            throw PolicyJson.Error(path, "format", $"'{format}' is not {Format}");
        }
        PolicyJson.OnlyKnownKeys(root, path, null, RootKeys);
        int channels = PolicyJson.Whole(root, "channels", path, 1, 3);
        if (channels == 2)
        {
            throw PolicyJson.Error(path, "channels", "2 must be 1 or 3");
        }
        int bins = PolicyJson.Whole(root, "bins", path, 2, MaxBins);
        if (!root.TryGetProperty("slots", out var slots) || slots.ValueKind != JsonValueKind.Array || slots.GetArrayLength() == 0)
        {
            throw PolicyJson.Error(path, "slots", "missing or empty; expected a list of {operations: [...]}");
        }
        if (slots.GetArrayLength() > PolicyArguments.MaxSlots)
        {
            throw PolicyJson.Error(path, "slots", $"{slots.GetArrayLength()} slots; at most {PolicyArguments.MaxSlots} (as learned-policy:S)");
        }
        var models = new List<List<ReadOperation>>();
        int s = 0;
        foreach (var slot in slots.EnumerateArray())
        {
            models.Add(Slot(slot, $"slots[{s}]", path, channels, bins, models.Count == 0 ? null : models[0]));
            s++;
        }
        var entries = models[0].Select(o => new PolicyEntry(o.Operation, o.Range)).ToList();
        var policy = new PolicyDistribution(new PolicySpace(entries, bins), models.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (s = 0; s < models.Count; s++)
        {
            for (int o = 0; o < entries.Count; o++)
            {
                var op = models[s][o];
                policy.OperationLogits[s, o] = tensor(Math.Log(Math.Max(op.Probability, 1e-30)));
                if (op.Magnitudes is { } magnitudes)
                {
                    policy.MagnitudeLogits[s, o] = tensor(magnitudes.Select(p => Math.Log(Math.Max(p, 1e-30))).ToArray());
                }
            }
        }
        return (policy, channels);
    }

    /// <summary>
    /// Refuses a policy with colour operations for data of <paramref name="dataChannels"/> channels
    /// (grayscale): checked before training starts, with the file and the key.
    /// </summary>
    /// <param name="policy">A policy read from <paramref name="path"/>.</param>
    /// <param name="path">The file, for the message.</param>
    /// <param name="dataChannels">Channels of the data it will augment.</param>
    /// <exception cref="DaboException">A colour operation on data without 3 channels.</exception>
    public static void CheckChannels(PolicyDistribution policy, string path, int dataChannels)
    {
        ArgumentNullException.ThrowIfNull(policy);
        int index = policy.Space.Operations.ToList().FindIndex(o => o.NeedsRgb);
        if (dataChannels != 3 && index >= 0)
        {
            throw PolicyJson.Error(path, $"slots[0].operations[{index}].name",
                $"'{policy.Space.Operations[index].Name}' is a colour operation, but the data has {dataChannels} channel(s); use a policy learned on grayscale data, or remove it");
        }
    }

    private static List<ReadOperation> Slot(JsonElement slot, string key, string path, int channels, int bins, List<ReadOperation>? first)
    {
        if (slot.ValueKind != JsonValueKind.Object)
        {
            throw PolicyJson.Error(path, key, "must be an object {operations: [...]}");
        }
        PolicyJson.OnlyKnownKeys(slot, path, key, SlotKeys);
        string listKey = $"{key}.operations";
        if (!slot.TryGetProperty("operations", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw PolicyJson.Error(path, listKey, "missing or empty; expected a list of {name, probability, ...}");
        }
        if (first is not null && list.GetArrayLength() != first.Count)
        {
            throw PolicyJson.Error(path, listKey, $"{list.GetArrayLength()} operations but slots[0] has {first.Count}; every slot lists the same operations in the same order");
        }
        var operations = new List<ReadOperation>();
        int o = 0;
        foreach (var item in list.EnumerateArray())
        {
            operations.Add(Operation(item, $"{listKey}[{o}]", path, channels, bins, operations, first?[o]));
            o++;
        }
        RequireSum(operations.Select(m => m.Probability).ToList(), path, $"{listKey}[*].probability");
        return operations;
    }

    private static ReadOperation Operation(JsonElement item, string key, string path, int channels, int bins, List<ReadOperation> earlier, ReadOperation? inFirstSlot)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw PolicyJson.Error(path, key, "must be an object {name, probability, ...}");
        }
        string name = PolicyJson.String(item, "name", path, key);
        var operation = OperationTable.All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw PolicyJson.Error(path, $"{key}.name", $"unknown operation '{name}'; valid: {string.Join(", ", OperationTable.All.Select(o => o.Name))}");
        if (earlier.Any(m => m.Operation == operation))
        {
            throw PolicyJson.Error(path, $"{key}.name", $"'{name}' is listed twice in this slot; list each operation once");
        }
        if (inFirstSlot is not null && inFirstSlot.Operation != operation)
        {
            throw PolicyJson.Error(path, $"{key}.name", $"'{name}' but slots[0] lists '{inFirstSlot.Operation.Name}' here; every slot lists the same operations in the same order");
        }
        PolicyJson.OnlyKnownKeys(item, path, key, OperationKeys);
        if (operation.NeedsRgb && channels != 3)
        {
            throw PolicyJson.Error(path, $"{key}.name", $"'{operation.Name}' needs RGB images but channels is {channels}");
        }
        double probability = Probability(item, "probability", path, key);
        if (PolicyJson.Has(item, "unit") && PolicyJson.String(item, "unit", path, key) is var unit && unit != operation.Unit)
        {
            throw PolicyJson.Error(path, $"{key}.unit", $"'{unit}' but {operation.Name} is in {(operation.Unit.Length == 0 ? "no unit (it takes no magnitude)" : operation.Unit)}");
        }
        if (PolicyJson.OptionalBool(item, "signed", path, key) is bool signed && signed != operation.Signed)
        {
            throw PolicyJson.Error(path, $"{key}.signed", $"{(signed ? "true" : "false")} but {operation.Name} is {(operation.Signed ? "" : "not ")}signed; write {(operation.Signed ? "true" : "false")} or remove the key");
        }
        if (PolicyJson.Has(item, "mean_magnitude"))
        {
            PolicyJson.Number(item, "mean_magnitude", path, key);
        }
        var range = Range(item, key, path, operation);
        if (inFirstSlot is not null && range != inFirstSlot.Range)
        {
            throw PolicyJson.Error(path, $"{key}.{(range?.Start != inFirstSlot.Range?.Start ? "range_start" : "range_end")}",
                $"{operation.Name}'s range differs from slots[0]'s; every slot shares the same ranges");
        }
        double[]? magnitudes = null;
        string magnitudesKey = $"{key}.magnitude_probabilities";
        if (range is null)
        {
            if (PolicyJson.Has(item, "magnitude_probabilities"))
            {
                throw PolicyJson.Error(path, magnitudesKey, $"{operation.Name} takes no magnitude; remove the key");
            }
        }
        else
        {
            if (!PolicyJson.Has(item, "magnitude_probabilities"))
            {
                throw PolicyJson.Error(path, magnitudesKey, $"missing; {operation.Name} has a magnitude range, give the probability of each of its {bins} bins");
            }
            var list = item.GetProperty("magnitude_probabilities");
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw PolicyJson.Error(path, magnitudesKey, $"must be a list of {bins} probabilities, got {PolicyJson.Describe(list)}");
            }
            if (list.GetArrayLength() != bins)
            {
                throw PolicyJson.Error(path, magnitudesKey, $"{list.GetArrayLength()} probabilities, expected bins = {bins}");
            }
            magnitudes = [.. list.EnumerateArray().Select((p, b) => Probability(p, path, $"{magnitudesKey}[{b}]"))];
            RequireSum(magnitudes, path, $"{magnitudesKey}[*]");
        }
        return new ReadOperation(operation, probability, range, magnitudes);
    }

    // The range of a file entry: absent for operations without magnitude; else within the operation's own
    // range (the table's), running the same way (bin 0 the mildest), so that a typo cannot ask for ±1e30°.
    private static MagnitudeRange? Range(JsonElement item, string key, string path, Operation operation)
    {
        bool hasStart = PolicyJson.Has(item, "range_start");
        bool hasEnd = PolicyJson.Has(item, "range_end");
        var natural = operation.Range;
        if (natural is null)
        {
            if (hasStart || hasEnd)
            {
                throw PolicyJson.Error(path, $"{key}.{(hasStart ? "range_start" : "range_end")}", $"{operation.Name} takes no magnitude; remove range_start and range_end");
            }
            if (PolicyJson.OptionalBool(item, "integer", path, key) == true)
            {
                throw PolicyJson.Error(path, $"{key}.integer", $"{operation.Name} takes no magnitude; write false or remove the key");
            }
            return null;
        }
        double start = PolicyJson.Number(item, "range_start", path, key);
        double end = PolicyJson.Number(item, "range_end", path, key);
        var (low, high) = (Math.Min(natural.Start, natural.End), Math.Max(natural.Start, natural.End));
        double slack = 1e-6 * Math.Max(1, high - low);
        string unit = operation.Unit.Length == 0 ? "" : $" ({operation.Unit})";
        foreach (var (field, value) in new[] { ("range_start", start), ("range_end", end) })
        {
            if (value < low - slack || value > high + slack)
            {
                throw PolicyJson.Error(path, $"{key}.{field}", $"{PolicyJson.Text(value)} is outside {operation.Name}'s range {PolicyJson.Text(natural.Start)} to {PolicyJson.Text(natural.End)}{unit}");
            }
        }
        if (Math.Sign(end - start) == -Math.Sign(natural.End - natural.Start))
        {
            throw PolicyJson.Error(path, $"{key}.range_end", $"the range {PolicyJson.Text(start)} to {PolicyJson.Text(end)} is reversed; {operation.Name}'s runs from {PolicyJson.Text(natural.Start)} (bin 0, mildest) towards {PolicyJson.Text(natural.End)}");
        }
        if (PolicyJson.OptionalBool(item, "integer", path, key) is bool integer && integer != natural.Integer)
        {
            throw PolicyJson.Error(path, $"{key}.integer", $"{(integer ? "true" : "false")} but {operation.Name}'s magnitudes are {(natural.Integer ? "whole numbers" : "not rounded")}; write {(natural.Integer ? "true" : "false")} or remove the key");
        }
        return new MagnitudeRange(start, end, natural.Integer);
    }

    private static double Probability(JsonElement parent, string name, string path, string key)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw PolicyJson.Error(path, PolicyJson.Key(key, name), "missing");
        }
        return Probability(value, path, PolicyJson.Key(key, name));
    }

    private static double Probability(JsonElement value, string path, string key)
    {
        double p = PolicyJson.NumberValue(value, path, key);
        return p is >= 0 and <= 1 ? p : throw PolicyJson.Error(path, key, $"{PolicyJson.Text(p)} is outside [0, 1]");
    }

    private static void RequireSum(IReadOnlyList<double> probabilities, string path, string key)
    {
        double sum = probabilities.Sum();
        if (sum == 0)
        {
            throw PolicyJson.Error(path, key, "all 0; a distribution needs a positive probability somewhere");
        }
        double tolerance = SumTolerancePerEntry * probabilities.Count;
        if (Math.Abs(sum - 1) > tolerance)
        {
            throw PolicyJson.Error(path, key, $"the probabilities sum to {PolicyJson.Text(sum)}; they must sum to 1 (within {PolicyJson.Text(tolerance)}, the rounding of 6 decimals)");
        }
    }

    private sealed record ReadOperation(Operation Operation, double Probability, MagnitudeRange? Range, double[]? Magnitudes);

    private sealed record FileModel(string Format, int Channels, int Bins, IReadOnlyList<SlotModel> Slots);

    private sealed record SlotModel(IReadOnlyList<OperationModel>? Operations);

    private sealed record OperationModel(
        string? Name,
        double Probability,
        string? Unit,
        double? RangeStart,
        double? RangeEnd,
        bool Integer,
        bool Signed,
        double[]? MagnitudeProbabilities,
        double? MeanMagnitude);
}
