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
        using var document = Parse(path);
        return document.RootElement.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
    }

    /// <summary>Reads and validates a file written by <see cref="Write"/> (or by hand).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DaboException">A missing, unreadable or invalid file: one line naming the file and the key.</exception>
    public static LearnedRanges Read(string path)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        string format = String(root, "format", path);
        if (format != Format)
        {
            throw new DaboException($"{path}: format: '{format}' is not {Format}");
        }
        double channelCount = Number(root, "channels", path);
        if (channelCount is not (1.0 or 3.0))
        {
            throw new DaboException($"{path}: channels: {Text(channelCount)} must be 1 or 3");
        }
        int channels = (int)channelCount;
        double probability = Number(root, "apply_probability", path);
        if (probability is < 0 or > 1)
        {
            throw new DaboException($"{path}: apply_probability: {Text(probability)} must be in [0, 1]");
        }
        var padding = PaddingMode.Zeros;
        if (root.TryGetProperty("padding", out _))
        {
            string text = String(root, "padding", path);
            if (!Enum.TryParse(text, ignoreCase: true, out padding) || !Enum.IsDefined(padding) || text.Any(char.IsDigit))
            {
                throw new DaboException($"{path}: padding: '{text}' must be zeros, border or reflection");
            }
        }
        var parametrization = AugmenterParametrization.Ranges;
        if (root.TryGetProperty("parametrization", out _))
        {
            string text = String(root, "parametrization", path);
            if (!Enum.TryParse(text, ignoreCase: true, out parametrization) || text.Any(char.IsDigit))
            {
                throw new DaboException($"{path}: parametrization: '{text}' must be ranges or mlp");
            }
        }
        bool estimated = root.TryGetProperty("estimated", out var e) && (e.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? e.GetBoolean()
            : throw new DaboException($"{path}: estimated: must be true or false"));
        string augmenter = root.TryGetProperty("augmenter", out _) ? String(root, "augmenter", path) : "ranges";
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

    private static LearnedParameterRange Parameter(JsonElement item, string key, string path, int channels, List<LearnedParameterRange> earlier)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new DaboException($"{path}: {key}: must be an object {{name, min, max, max_range}}");
        }
        string name = String(item, "name", path, key);
        var operation = OperationTable.Learned.FirstOrDefault(o => o.Learned!.Name == name)
            ?? throw new DaboException($"{path}: {key}.name: unknown parameter '{name}'; known: {string.Join(", ", OperationTable.Learned.Select(o => o.Learned!.Name))}");
        var learned = operation.Learned!;
        if (earlier.Any(r => r.Name == name))
        {
            throw new DaboException($"{path}: {key}.name: '{name}' is listed twice");
        }
        if (operation.NeedsRgb && channels != 3)
        {
            throw new DaboException($"{path}: {key}.name: '{name}' needs RGB images but channels is {channels}");
        }
        if (item.TryGetProperty("unit", out _) && String(item, "unit", path, key) is var unit && unit != learned.Unit)
        {
            throw new DaboException($"{path}: {key}.unit: '{unit}' but {name} is in {learned.Unit}");
        }
        double min = Number(item, "min", path, key);
        double max = Number(item, "max", path, key);
        double maxRange = Number(item, "max_range", path, key);
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

    private static JsonDocument Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new DaboException($"{path}: policy file not found; pass the policy.json of a learned-policy or learned-augmenter run");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DaboException($"{path}: unreadable policy file ({ex.Message.Split('\n')[0]})", ex);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new DaboException($"{path}: not a policy file (expected a JSON object)");
        }
        return document;
    }

    private static string String(JsonElement parent, string name, string path, string? key = null)
    {
        string where = key is null ? name : $"{key}.{name}";
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new DaboException($"{path}: {where}: missing");
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new DaboException($"{path}: {where}: must be a string");
    }

    private static double Number(JsonElement parent, string name, string path, string? key = null)
    {
        string where = key is null ? name : $"{key}.{name}";
        if (!parent.TryGetProperty(name, out var value))
        {
            throw new DaboException($"{path}: {where}: missing");
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            throw new DaboException($"{path}: {where}: must be a finite number, got {Describe(value)}");
        }
        return number;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string '{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Text(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
