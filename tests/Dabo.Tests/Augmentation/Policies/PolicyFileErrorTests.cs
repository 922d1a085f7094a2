using System.Text.Json.Nodes;
using Dabo.Augmentation.Policies;

namespace Dabo.Tests.Augmentation.Policies;

/// <summary>policy:FILE of a malformed ranges file: one line naming the file and the key.</summary>
public class PolicyFileErrorTests
{
    private const string Valid = """
        {
          "format": "dabo-ranges-v1",
          "kind": "ranges",
          "augmenter": "learned-affine",
          "channels": 1,
          "apply_probability": 0.5,
          "padding": "zeros",
          "estimated": false,
          "parameters": [
            { "name": "rotate", "unit": "deg", "identity": 0, "min": -10, "max": 5, "max_range": 30 },
            { "name": "scale", "unit": "factor", "identity": 1, "min": 0.9, "max": 1.2, "max_range": 0.25 }
          ]
        }
        """;

    [Fact]
    public void A_valid_ranges_file_is_a_fixed_augmentation()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        File.WriteAllText(file, Valid);
        var policy = new FixedPolicy(file);
        Assert.NotNull(policy.Ranges);
        Assert.Equal(2, policy.Ranges!.Parameters.Count);
        Assert.Equal("policy:" + file, Dabo.Augmentation.Fixed.FixedAugmentationParser.Parse("policy:" + file, 1).Name);
    }

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "format", "\"dabo-ranges-v9\"", "format" },
        { "channels", "2", "channels" },
        { "apply_probability", "1.5", "apply_probability" },
        { "apply_probability", "\"half\"", "apply_probability" },
        { "padding", "\"mirror\"", "padding" },
        { "parameters", "[]", "parameters" },
        { "parameters/0/name", "\"spin\"", "parameters[0].name" },
        { "parameters/1/name", "\"rotate\"", "parameters[1].name" },
        { "parameters/0/min", "20", "parameters[0].min" },
        { "parameters/0/max", "40", "parameters[0].max" },
        { "parameters/1/min", "0.5", "parameters[1].min" },
        { "parameters/0/max_range", "200", "parameters[0].max_range" },
        { "parameters/0/unit", "\"rad\"", "parameters[0].unit" },
        { "parameters/0/min", "null", "parameters[0].min" },
        { "parameters/1/name", "\"saturation\"", "parameters[1].name" },
        { "parameters/0/identity", "5", "parameters[0].identity" },
        { "parameters/0/spread", "1", "parameters[0].spread" },
        { "kind", "\"policy\"", "kind" },
        { "temperature", "1", "temperature" },
        { "estimated", "\"yes\"", "estimated" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_malformed_ranges_file_is_refused_in_one_line_naming_the_file_and_the_key(string pointer, string value, string key)
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        var json = JsonNode.Parse(Valid)!;
        var parts = pointer.Split('/');
        JsonNode node = json;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out int index) ? node[index]! : node[part]!;
        }
        var parsed = JsonNode.Parse(value);
        if (node is JsonArray array)
        {
            array[int.Parse(parts[^1])] = parsed;
        }
        else
        {
            node[parts[^1]] = parsed;
        }
        File.WriteAllText(file, json.ToJsonString());
        var e = Assert.Throws<DaboException>(() => new FixedPolicy(file));
        Assert.StartsWith(file + ": " + key, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Ranges_that_change_colours_are_refused_for_grayscale_data_when_the_augmentation_is_built()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        var json = JsonNode.Parse(Valid)!;
        json["channels"] = 3;
        json["parameters"]!.AsArray().Add(JsonNode.Parse("""{ "name": "saturation", "unit": "factor", "identity": 1, "min": 0.9, "max": 1.1, "max_range": 0.5 }"""));
        File.WriteAllText(file, json.ToJsonString());
        Assert.NotNull(Dabo.Augmentation.Fixed.FixedAugmentationParser.Parse("policy:" + file, 3));

        var e = Assert.Throws<DaboException>(() => Dabo.Augmentation.Fixed.FixedAugmentationParser.Parse("policy:" + file, 1));
        Assert.StartsWith($"{file}: parameters[2].name: 'saturation' changes colours, but the data has 1 channel(s)", e.Message);
    }

    [Theory]
    [InlineData("{ not json", "unreadable")]
    [InlineData("[1, 2]", "JSON object")]
    [InlineData("{\"channels\": 1}", "format: missing")]
    public void A_file_that_is_not_a_policy_is_refused_in_one_line(string content, string expected)
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        File.WriteAllText(file, content);
        var e = Assert.Throws<DaboException>(() => new FixedPolicy(file));
        Assert.StartsWith(file + ": ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
