using System.Globalization;
using System.Text.Json;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// Reading of hand-editable policy files (<see cref="PolicyFile"/>, <see cref="RangesFile"/>): every
/// error is one line that starts with the file and the key's JSON path (e.g.
/// <c>policy.json: slots[1].operations[3].probability: …</c>).
/// </summary>
internal static class PolicyJson
{
    /// <summary>Parses <paramref name="path"/> as a JSON object.</summary>
    /// <exception cref="DaboException">A missing or unreadable file, or not a JSON object.</exception>
    public static JsonDocument Parse(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new DaboException($"{path}: is a directory; pass the policy.json file inside it");
        }
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

    /// <summary>The error for <paramref name="key"/> of <paramref name="path"/>.</summary>
    public static DaboException Error(string path, string key, string message) => new($"{path}: {key}: {message}");

    /// <summary>The path of member <paramref name="name"/> below <paramref name="key"/> (the root when null).</summary>
    public static string Key(string? key, string name) => key is null ? name : $"{key}.{name}";

    /// <summary>Refuses members of <paramref name="item"/> not in <paramref name="known"/> (a misspelt key would otherwise be ignored).</summary>
    public static void OnlyKnownKeys(JsonElement item, string path, string? key, IReadOnlyCollection<string> known)
    {
        foreach (var member in item.EnumerateObject())
        {
            if (!known.Contains(member.Name))
            {
                throw Error(path, Key(key, member.Name), $"unknown key; known: {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>A string member.</summary>
    public static string String(JsonElement parent, string name, string path, string? key = null)
    {
        string where = Key(key, name);
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error(path, where, "missing");
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(path, where, $"must be a string, got {Describe(value)}");
    }

    /// <summary>A finite number member.</summary>
    public static double Number(JsonElement parent, string name, string path, string? key = null)
    {
        string where = Key(key, name);
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error(path, where, "missing");
        }
        return NumberValue(value, path, where);
    }

    /// <summary>A finite number.</summary>
    public static double NumberValue(JsonElement value, string path, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)
            ? number
            : throw Error(path, where, $"must be a finite number, got {Describe(value)}");

    /// <summary>A whole-number member in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Whole(JsonElement parent, string name, string path, int min, int max, string? key = null)
    {
        string where = Key(key, name);
        double number = Number(parent, name, path, key);
        if (number != Math.Floor(number) || number < min || number > max)
        {
            throw Error(path, where, $"{Text(number)} must be a whole number from {min} to {max}");
        }
        return (int)number;
    }

    /// <summary>An optional boolean member (null when absent).</summary>
    public static bool? OptionalBool(JsonElement parent, string name, string path, string? key = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw Error(path, Key(key, name), $"must be true or false, got {Describe(value)}");
    }

    /// <summary>Whether <paramref name="name"/> is present with a value other than null.</summary>
    public static bool Has(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A JSON value in words, for messages.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string '{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>A number as messages write it.</summary>
    public static string Text(double value) =>
        Math.Abs(value) is >= 1e15 or (> 0 and < 1e-6) ? value.ToString("G6", CultureInfo.InvariantCulture) : value.ToString("0.######", CultureInfo.InvariantCulture);
}
