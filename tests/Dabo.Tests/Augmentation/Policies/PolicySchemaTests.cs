using System.Text.Json.Nodes;
using Dabo.Augmentation.Policies;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Policies;

/// <summary>
/// policy:FILE of a learned policy (dabo-policy-v1) checked against its schema: every malformed file is
/// refused in one line that starts with the file and the key's JSON path.
/// </summary>
[Collection("global-rng")]
public class PolicySchemaTests
{
    // TrivialAugment-Wide's space on RGB data: 0 identity, 1 shear-x, 2 shear-y, 3 translate-x, 4 translate-y,
    // 5 rotate, 6 brightness, 7 color, 8 contrast, 9 sharpness, 10 posterize, 11 solarize, 12 autocontrast, 13 equalize.
    private static JsonObject ValidPolicy(int channels = 3, int slots = 2)
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        using (var policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(channels), slots))
        {
            PolicyFile.Write(policy, file, channels);
        }
        return JsonNode.Parse(File.ReadAllText(file))!.AsObject();
    }

    private static JsonObject Operation(JsonObject policy, int slot, int operation) =>
        policy["slots"]![slot]!["operations"]![operation]!.AsObject();

    private static void SetAll(JsonArray array, Func<JsonNode?> value)
    {
        for (int i = 0; i < array.Count; i++)
        {
            array[i] = value();
        }
    }

    /// <summary>One row per malformed file: how the valid file is changed, and the key the error must name.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Change, string Key, string Says)> Malformed = new()
    {
        ["bins far too large"] = (p => p["bins"] = 2_000_000_000, "bins", "from 2 to 1000"),
        ["bins 1"] = (p => p["bins"] = 1, "bins", "from 2 to 1000"),
        ["bins not whole"] = (p => p["bins"] = 2.5, "bins", "whole number"),
        ["bins a string"] = (p => p["bins"] = "31", "bins", "the string '31'"),
        ["channels 2"] = (p => p["channels"] = 2, "channels", "1 or 3"),
        ["no slots"] = (p => p["slots"] = new JsonArray(), "slots", "missing or empty"),
        ["10,000 slots"] = (p =>
        {
            // Small slots (identity alone), so that the file stays small.
            var slots = new JsonArray();
            for (int i = 0; i < 10_000; i++)
            {
                slots.Add(JsonNode.Parse("""{"operations": [{"name": "identity", "probability": 1}]}"""));
            }
            p["slots"] = slots;
        }, "slots", "10000 slots; at most 8"),
        ["9 slots"] = (p =>
        {
            var slots = p["slots"]!.AsArray();
            while (slots.Count < 9)
            {
                slots.Add(slots[0]!.DeepClone());
            }
        }, "slots", "at most 8"),
        ["operations not a list"] = (p => p["slots"]![0]!["operations"] = "rotate", "slots[0].operations", "missing or empty"),
        ["unknown operation"] = (p => Operation(p, 0, 3)["name"] = "warp", "slots[0].operations[3].name", "unknown operation 'warp'; valid: identity, shear-x"),
        ["name not a string"] = (p => Operation(p, 0, 3)["name"] = 42, "slots[0].operations[3].name", "must be a string"),
        ["operation twice"] = (p => p["slots"]![0]!["operations"]![1] = Operation(p, 0, 5).DeepClone(), "slots[0].operations[5].name", "'rotate' is listed twice"),
        ["operation twice, other case"] = (p =>
        {
            p["slots"]![0]!["operations"]![1] = Operation(p, 0, 5).DeepClone();
            Operation(p, 0, 5)["name"] = "ROTATE";
        }, "slots[0].operations[5].name", "'ROTATE' is listed twice"),
        ["slots list other operations"] = (p => Operation(p, 1, 1)["name"] = "shear-y", "slots[1].operations[1].name", "slots[0] lists 'shear-x'"),
        ["a slot with fewer operations"] = (p => p["slots"]![1]!["operations"]!.AsArray().RemoveAt(13), "slots[1].operations", "13 operations but slots[0] has 14"),
        ["colour operation in a grayscale file"] = (p => p["channels"] = 1, "slots[0].operations[7].name", "'color' needs RGB"),
        ["probability negative"] = (p => Operation(p, 1, 3)["probability"] = -0.1, "slots[1].operations[3].probability", "outside [0, 1]"),
        ["probability above 1"] = (p => Operation(p, 1, 3)["probability"] = 1.5, "slots[1].operations[3].probability", "outside [0, 1]"),
        ["probability NaN"] = (p => Operation(p, 1, 3)["probability"] = "NaN", "slots[1].operations[3].probability", "finite number"),
        ["probability missing"] = (p => Operation(p, 0, 2).Remove("probability"), "slots[0].operations[2].probability", "missing"),
        ["all probabilities 0"] = (p =>
        {
            foreach (var op in p["slots"]![0]!["operations"]!.AsArray())
            {
                op!["probability"] = 0;
            }
        }, "slots[0].operations[*].probability", "all 0"),
        ["probabilities sum to 2"] = (p => Operation(p, 0, 0)["probability"] = 1, "slots[0].operations[*].probability", "sum to 1.928577"),
        ["magnitude bins sum to 15.5"] = (p => SetAll(Operation(p, 0, 5)["magnitude_probabilities"]!.AsArray(), () => 0.5), "slots[0].operations[5].magnitude_probabilities[*]", "sum to 15.5"),
        ["magnitude bins all 0"] = (p => SetAll(Operation(p, 0, 5)["magnitude_probabilities"]!.AsArray(), () => 0), "slots[0].operations[5].magnitude_probabilities[*]", "all 0"),
        ["magnitude bin negative"] = (p => Operation(p, 0, 5)["magnitude_probabilities"]![3] = -0.01, "slots[0].operations[5].magnitude_probabilities[3]", "outside [0, 1]"),
        ["magnitude bins too few"] = (p => Operation(p, 0, 5)["magnitude_probabilities"]!.AsArray().RemoveAt(0), "slots[0].operations[5].magnitude_probabilities", "30 probabilities, expected bins = 31"),
        ["magnitude bins missing"] = (p => Operation(p, 0, 5).Remove("magnitude_probabilities"), "slots[0].operations[5].magnitude_probabilities", "missing"),
        ["magnitude bins not a list"] = (p => Operation(p, 0, 5)["magnitude_probabilities"] = 1, "slots[0].operations[5].magnitude_probabilities", "must be a list of 31"),
        ["magnitude bins on identity"] = (p => Operation(p, 0, 0)["magnitude_probabilities"] = new JsonArray(0.5, 0.5), "slots[0].operations[0].magnitude_probabilities", "takes no magnitude"),
        ["range on identity"] = (p => Operation(p, 0, 0)["range_start"] = 0, "slots[0].operations[0].range_start", "takes no magnitude"),
        ["rotate ±1e30"] = (p => Operation(p, 0, 5)["range_end"] = 1e30, "slots[0].operations[5].range_end", "outside rotate's range 0 to 135 (deg)"),
        ["rotate starting below its range"] = (p => Operation(p, 0, 5)["range_start"] = -1e30, "slots[0].operations[5].range_start", "outside rotate's range"),
        ["range reversed"] = (p =>
        {
            Operation(p, 0, 5)["range_start"] = 135;
            Operation(p, 0, 5)["range_end"] = 0;
        }, "slots[0].operations[5].range_end", "is reversed"),
        ["posterize reversed"] = (p =>
        {
            Operation(p, 0, 10)["range_start"] = 2;
            Operation(p, 0, 10)["range_end"] = 8;
        }, "slots[0].operations[10].range_end", "is reversed"),
        ["range missing"] = (p => Operation(p, 0, 5).Remove("range_end"), "slots[0].operations[5].range_end", "missing"),
        ["range a string"] = (p => Operation(p, 0, 5)["range_end"] = "135", "slots[0].operations[5].range_end", "finite number"),
        ["slots with other ranges"] = (p => Operation(p, 1, 5)["range_end"] = 30, "slots[1].operations[5].range_end", "every slot shares the same ranges"),
        ["posterize not integer"] = (p => Operation(p, 0, 10)["integer"] = false, "slots[0].operations[10].integer", "whole numbers"),
        ["integer not a boolean"] = (p => Operation(p, 0, 10)["integer"] = "yes", "slots[0].operations[10].integer", "true or false"),
        ["signed mismatch"] = (p => Operation(p, 0, 5)["signed"] = false, "slots[0].operations[5].signed", "rotate is signed"),
        ["unit mismatch"] = (p => Operation(p, 0, 5)["unit"] = "rad", "slots[0].operations[5].unit", "rotate is in deg"),
        ["misspelt key"] = (p => Operation(p, 0, 2)["probabilty"] = 0.1, "slots[0].operations[2].probabilty", "unknown key"),
        ["unknown root key"] = (p => p["temperature"] = 1, "temperature", "unknown key"),
        ["format of another tool"] = (p => p["format"] = "dabo-policy-v9", "format", "is neither"),
    };

    public static TheoryData<string> MalformedCases() => [.. Malformed.Keys];

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void A_malformed_policy_is_refused_in_one_line_naming_the_file_and_the_key(string name)
    {
        var (change, key, says) = Malformed[name];
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        var json = ValidPolicy();
        change(json);
        File.WriteAllText(file, json.ToJsonString());

        var e = Assert.Throws<DaboException>(() => new FixedPolicy(file));
        Assert.StartsWith($"{file}: {key}: ", e.Message);
        Assert.Contains(says, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_written_policy_reads_back_and_sums_off_by_rounding_are_renormalized()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        var json = ValidPolicy();
        File.WriteAllText(file, json.ToJsonString());
        using (new FixedPolicy(file, dataChannels: 3).Apply(zeros(2, 3, 8, 8, ScalarType.Byte), new Generator(1)))
        {
        }

        // 14 operations at 0.071429 sum to 1.000006 (each rounded to 6 decimals); 1.6e-5 less makes 0.99999,
        // within the tolerance of 14 × 1e-6.
        Operation(json, 0, 0)["probability"] = 0.071429 - 1.6e-5;
        File.WriteAllText(file, json.ToJsonString());
        var (policy, channels) = PolicyFile.Read(file);
        using (policy)
        {
            Assert.Equal(3, channels);
            Assert.Equal(1.0, policy.OperationProbabilities()[0].sum().item<double>(), 12);
        }
    }

    [Fact]
    public void Narrow_ranges_and_a_grayscale_policy_on_rgb_data_are_accepted()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        using (var narrow = new PolicyDistribution(PolicySpace.RandAugmentRanges(1), 1))
        {
            PolicyFile.Write(narrow, file, 1);
        }
        var policy = new FixedPolicy(file, dataChannels: 3);
        using var x = policy.Apply(zeros(2, 3, 8, 8, ScalarType.Byte), new Generator(1));
        Assert.Equal(3, x.shape[1]);
    }

    [Fact]
    public void A_colour_operation_on_grayscale_data_is_refused_when_the_policy_is_built()
    {
        using var dir = new TempDirectory();
        string file = dir.Combine("policy.json");
        File.WriteAllText(file, ValidPolicy(channels: 3).ToJsonString());

        var e = Assert.Throws<DaboException>(() => Dabo.Augmentation.Fixed.FixedAugmentationParser.Parse("policy:" + file, channels: 1));
        Assert.StartsWith($"{file}: slots[0].operations[7].name: 'color' is a colour operation, but the data has 1 channel(s)", e.Message);
    }

    [Fact]
    public void A_directory_instead_of_the_file_is_named_as_such()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DaboException>(() => new FixedPolicy(dir.Path));
        Assert.Equal($"{dir.Path}: is a directory; pass the policy.json file inside it", e.Message);
    }
}
