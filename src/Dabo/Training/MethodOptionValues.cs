using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dabo.Training;

/// <summary>
/// The values of method options set for a run (<c>--set KEY=VALUE</c>; config.json's <c>method_options</c>), by key,
/// compared by value so that a run resumes only with the same ones. Which keys exist, and their ranges, is declared by
/// the method kinds (<c>Dabo.Methods.MethodOption</c>).
/// </summary>
[JsonConverter(typeof(MethodOptionValuesJson))]
public sealed class MethodOptionValues : IEquatable<MethodOptionValues>
{
    private readonly SortedDictionary<string, double> _values;

    /// <summary>Creates the set from key–value pairs (a later key replaces an earlier one).</summary>
    /// <param name="values">The pairs.</param>
    public MethodOptionValues(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            _values[key] = value;
        }
    }

    /// <summary>The keys and values, sorted by key.</summary>
    public IReadOnlyDictionary<string, double> Values => _values;

    /// <summary>The value of <paramref name="key"/>, or null when it is not set.</summary>
    public double? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>These values with <paramref name="more"/> added (replacing equal keys); null when both are empty.</summary>
    public static MethodOptionValues? Merge(MethodOptionValues? values, IEnumerable<KeyValuePair<string, double>> more)
    {
        var merged = new MethodOptionValues((values?._values ?? []).Concat(more));
        return merged._values.Count == 0 ? null : merged;
    }

    /// <summary>Parses one <c>KEY=VALUE</c> of <c>--set</c>.</summary>
    /// <exception cref="DaboException">Not of the form KEY=VALUE with a number.</exception>
    public static KeyValuePair<string, double> ParseAssignment(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string key = equals < 0 ? "" : text[..equals].Trim();
        if (key.Length == 0 || !double.TryParse(text[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new DaboException($"--set {text}: write KEY=VALUE with a number, e.g. --set test-erase.p=0.25 (the keys: dabo train --help)");
        }
        return new(key, value);
    }

    /// <inheritdoc />
    public bool Equals(MethodOptionValues? other) => other is not null && _values.Count == other._values.Count
        && _values.All(p => other._values.TryGetValue(p.Key, out var v) && v.Equals(p.Value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MethodOptionValues);

    /// <inheritdoc />
    public override int GetHashCode() => _values.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value));

    private sealed class MethodOptionValuesJson : JsonConverter<MethodOptionValues>
    {
        public override MethodOptionValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<Dictionary<string, double>>(ref reader) ?? throw new JsonException("method_options: expected an object of numbers"));

        public override void Write(Utf8JsonWriter writer, MethodOptionValues value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (key, number) in value._values)
            {
                writer.WriteNumber(key, number);
            }
            writer.WriteEndObject();
        }
    }
}
