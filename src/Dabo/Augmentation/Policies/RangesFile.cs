using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Operations;
using Dabo.IO;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// <c>policy.json</c> of a learned-augmenter run (<c>learned-affine</c>, <c>learned-affine-color</c>, …):
/// format <c>dabo-ranges-v1</c>, the sibling of the learned policy's <c>dabo-policy-v1</c>
/// (<see cref="PolicyFile"/>). Per parameter its learned range as <c>min</c>/<c>max</c> in the
/// parameter's unit, the augmenter's maximal range and the apply probability; <c>estimated</c> says
/// whether the ranges were read from the parameters or estimated from draws (MLP augmenters).
/// <c>--augment policy:FILE</c> replays it as a fixed augmentation (<see cref="RangesAugmentation"/>).
/// </summary>
public static class RangesFile
{
    /// <summary>Format tag written in every file.</summary>
    public const string Format = "dabo-ranges-v1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="ranges"/> to <paramref name="path"/> (atomically).</summary>
    /// <param name="ranges">The learned ranges.</param>
    /// <param name="path">Destination file.</param>
    public static void Write(LearnedRanges ranges, string path)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var parameters = new JsonArray();
        foreach (var r in ranges.Parameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = r.Name,
                ["unit"] = r.Unit,
                ["identity"] = r.Identity,
                ["min"] = Math.Round(r.Min, 6),
                ["max"] = Math.Round(r.Max, 6),
                ["max_range"] = r.MaxRange,
            });
        }
        var root = new JsonObject
        {
            ["format"] = Format,
            ["kind"] = "ranges",
            ["augmenter"] = ranges.Augmenter,
            ["parametrization"] = ranges.Parametrization.ToString().ToLowerInvariant(),
            ["channels"] = ranges.Channels,
            ["apply_probability"] = ranges.ApplyProbability,
            ["padding"] = ranges.Padding.ToString().ToLowerInvariant(),
            ["estimated"] = ranges.Estimated,
        };
        if (ranges.Estimated)
        {
            double tail = 100 * (1 - (ranges.Coverage ?? LearnedRanges.DefaultCoverage)) / 2;
            root["estimate"] = string.Create(CultureInfo.InvariantCulture,
                $"the {tail:0.##}th and {100 - tail:0.##}th percentiles of {ranges.Samples} draws of each parameter; the learned distribution is not a box, and policy:FILE draws uniformly in these ranges");
        }
        root["parameters"] = parameters;
        AtomicFile.WriteAllText(path, root.ToJsonString(Json) + "\n");
    }

    /// <summary>
    /// The format tag of a policy file (<see cref="Format"/>, <see cref="PolicyFile.Format"/> or another),
    /// or null when the file has none.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DaboException">Missing or unreadable file, or not a JSON object (one line naming it).</exception>
    public static string? FormatOf(string path)
    {
        using var document = PolicyJson.Parse(path);
        return document.RootElement.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
    }

    private static readonly string[] RootKeys = ["format", "kind", "augmenter", "parametrization", "channels", "apply_probability", "padding", "estimated", "estimate", "parameters"];
    private static readonly string[] ParameterKeys = ["name", "unit", "identity", "min", "max", "max_range"];

    /// <summary>Reads and validates a file written by <see cref="Write"/> (or by hand).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DaboException">A missing, unreadable or invalid file: one line naming the file and the key.</exception>
    public static LearnedRanges Read(string path)
    {
        using var document = PolicyJson.Parse(path);
        var root = document.RootElement;
        string format = PolicyJson.String(root, "format", path);
        if (format != Format)
        {
            throw new DaboException($"{path}: format: '{format}' is not {Format}");
        }
        PolicyJson.OnlyKnownKeys(root, path, null, RootKeys);
        double channelCount = PolicyJson.Number(root, "channels", path);
        if (channelCount is not (1.0 or 3.0))
        {
            throw new DaboException($"{path}: channels: {Text(channelCount)} must be 1 or 3");
        }
        int channels = (int)channelCount;
        double probability = PolicyJson.Number(root, "apply_probability", path);
        if (probability is < 0 or > 1)
        {
            throw new DaboException($"{path}: apply_probability: {Text(probability)} must be in [0, 1]");
        }
        var padding = PaddingMode.Zeros;
        if (root.TryGetProperty("padding", out _))
        {
            string text = PolicyJson.String(root, "padding", path);
            if (!Enum.TryParse(text, ignoreCase: true, out padding) || !Enum.IsDefined(padding) || text.Any(char.IsDigit))
            {
                throw new DaboException($"{path}: padding: '{text}' must be zeros, border or reflection");
            }
        }
        var parametrization = AugmenterParametrization.Ranges;
        if (root.TryGetProperty("parametrization", out _))
        {
            string text = PolicyJson.String(root, "parametrization", path);
            if (!Enum.TryParse(text, ignoreCase: true, out parametrization) || text.Any(char.IsDigit))
            {
                throw new DaboException($"{path}: parametrization: '{text}' must be ranges or mlp");
            }
        }
        if (root.TryGetProperty("kind", out _) && PolicyJson.String(root, "kind", path) is var kind && kind != "ranges")
        {
            throw new DaboException($"{path}: kind: '{kind}' must be ranges");
        }
        if (root.TryGetProperty("estimate", out _))
        {
            PolicyJson.String(root, "estimate", path);
        }
        bool estimated = PolicyJson.OptionalBool(root, "estimated", path) ?? false;
        string augmenter = root.TryGetProperty("augmenter", out _) ? PolicyJson.String(root, "augmenter", path) : "ranges";
        if (!root.TryGetProperty("parameters", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new DaboException($"{path}: parameters: missing or empty; expected a list of {{name, min, max, max_range}}");
        }
        var parameters = new List<LearnedParameterRange>();
        int i = 0;
        foreach (var item in list.EnumerateArray())
        {
            parameters.Add(Parameter(item, $"parameters[{i}]", path, channels, parameters));
            i++;
        }
        return new LearnedRanges(augmenter, parametrization, channels, probability, padding, estimated,
            estimated ? LearnedRanges.DefaultCoverage : null, null, parameters);
    }

    /// <summary>
    /// Refuses ranges that change colours for data of <paramref name="dataChannels"/> channels (grayscale):
    /// checked before training starts, with the file and the key.
    /// </summary>
    /// <param name="ranges">Ranges read from <paramref name="path"/>.</param>
    /// <param name="path">The file, for the message.</param>
    /// <param name="dataChannels">Channels of the data it will augment.</param>
    /// <exception cref="DaboException">A colour parameter on data without 3 channels.</exception>
    public static void CheckChannels(LearnedRanges ranges, string path, int dataChannels)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        for (int i = 0; i < ranges.Parameters.Count; i++)
        {
            var name = ranges.Parameters[i].Name;
            if (dataChannels != 3 && OperationTable.GetLearned(name).NeedsRgb)
            {
                throw new DaboException($"{path}: parameters[{i}].name: '{name}' changes colours, but the data has {dataChannels} channel(s); use ranges learned on grayscale data (learned-affine) or RGB data");
            }
        }
    }

    private static LearnedParameterRange Parameter(JsonElement item, string key, string path, int channels, List<LearnedParameterRange> earlier)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new DaboException($"{path}: {key}: must be an object {{name, min, max, max_range}}");
        }
        string name = PolicyJson.String(item, "name", path, key);
        var operation = OperationTable.Learned.FirstOrDefault(o => o.Learned!.Name == name)
            ?? throw new DaboException($"{path}: {key}.name: unknown parameter '{name}'; known: {string.Join(", ", OperationTable.Learned.Select(o => o.Learned!.Name))}");
        var learned = operation.Learned!;
        if (earlier.Any(r => r.Name == name))
        {
            throw new DaboException($"{path}: {key}.name: '{name}' is listed twice");
        }
        PolicyJson.OnlyKnownKeys(item, path, key, ParameterKeys);
        if (operation.NeedsRgb && channels != 3)
        {
            throw new DaboException($"{path}: {key}.name: '{name}' needs RGB images but channels is {channels}");
        }
        if (item.TryGetProperty("unit", out _) && PolicyJson.String(item, "unit", path, key) is var unit && unit != learned.Unit)
        {
            throw new DaboException($"{path}: {key}.unit: '{unit}' but {name} is in {learned.Unit}");
        }
        if (item.TryGetProperty("identity", out _) && PolicyJson.Number(item, "identity", path, key) is var identity && identity != learned.Identity)
        {
            throw new DaboException($"{path}: {key}.identity: {Text(identity)} but {name}'s identity is {Text(learned.Identity)}");
        }
        double min = PolicyJson.Number(item, "min", path, key);
        double max = PolicyJson.Number(item, "max", path, key);
        double maxRange = PolicyJson.Number(item, "max_range", path, key);
        if (!learned.Range.Allows(maxRange))
        {
            throw new DaboException($"{path}: {key}.max_range: {Text(maxRange)} must be in (0, {Text(learned.Range.Limit)}{(learned.Range.LimitInclusive ? "]" : ")")} ({learned.Range.Reason})");
        }
        if (min > max)
        {
            throw new DaboException($"{path}: {key}.min: {Text(min)} is above max {Text(max)}");
        }
        // Rounding to 6 decimals when written may step past the bound by 5e-7.
        double slack = 1e-6;
        foreach (var (field, value) in new[] { ("min", min), ("max", max) })
        {
            if (Math.Abs(value - learned.Identity) > maxRange + slack)
            {
                throw new DaboException($"{path}: {key}.{field}: {Text(value)} is outside {name}'s maximal range {Text(learned.Identity - maxRange)} to {Text(learned.Identity + maxRange)} (identity ± max_range)");
            }
        }
        return new LearnedParameterRange(name, learned.Unit, learned.Identity, min, max, maxRange);
    }

    private static string Text(double value) => PolicyJson.Text(value);
}
