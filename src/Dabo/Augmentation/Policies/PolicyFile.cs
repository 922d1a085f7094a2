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

    /// <summary>Reads a policy written by <see cref="Write"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The distribution and the channels it was learned on.</returns>
    /// <exception cref="DaboException">Missing, unreadable or inconsistent file (one line naming it).</exception>
    public static (PolicyDistribution Policy, int Channels) Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DaboException($"{path}: policy file not found; pass the policy.json of a learned-policy run");
        }
        FileModel? model;
        try
        {
            model = JsonSerializer.Deserialize<FileModel>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DaboException($"{path}: unreadable policy file ({e.Message.Split('\n')[0]})", e);
        }
        if (model is null || model.Format != Format || model.Slots is not { Count: > 0 } || model.Bins < 2)
        {
            throw new DaboException($"{path}: not a {Format} policy file (format, bins or slots missing)");
        }
        var first = model.Slots[0].Operations ?? [];
        var entries = first.Select(o => new PolicyEntry(OperationTable.Get(o.Name ?? ""),
            o.RangeStart is double start && o.RangeEnd is double end ? new MagnitudeRange(start, end, o.Integer) : null)).ToList();
        if (entries.Count == 0 || model.Slots.Any(s => s.Operations is null || !s.Operations.Select(o => o.Name).SequenceEqual(first.Select(o => o.Name))))
        {
            throw new DaboException($"{path}: every slot must list the same operations in the same order");
        }
        var policy = new PolicyDistribution(new PolicySpace(entries, model.Bins), model.Slots.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int s = 0; s < model.Slots.Count; s++)
        {
            for (int o = 0; o < entries.Count; o++)
            {
                var op = model.Slots[s].Operations![o];
                policy.OperationLogits[s, o] = tensor(LogOf(op.Probability, path));
                if (op.MagnitudeProbabilities is { } magnitudes)
                {
                    if (magnitudes.Length != model.Bins)
                    {
                        throw new DaboException($"{path}: operation {op.Name} has {magnitudes.Length} magnitude probabilities, expected {model.Bins}");
                    }
                    policy.MagnitudeLogits[s, o] = tensor(magnitudes.Select(p => LogOf(p, path)).ToArray());
                }
            }
        }
        return (policy, model.Channels);
    }

    private static double LogOf(double p, string path) =>
        p is >= 0 and <= 1 ? Math.Log(Math.Max(p, 1e-30)) : throw new DaboException($"{path}: probability {p} is outside [0, 1]");

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
