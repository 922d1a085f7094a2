using System.Text.Json.Nodes;
using Dabo.Augmentation.Policies;
using Dabo.Cli.Commands;

namespace Dabo.Tests.Cli;

/// <summary>
/// Policy files, method lists, grids, policy flags, --cache-dir and --config given wrong: exit 2, one line
/// naming the flag, file or key, and nothing written in --out.
/// </summary>
[Collection("global-rng")]
public class PolicyAndMethodInputTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "policy: bins far too large", ["train", "--dataset", "DATA", "--augment", "policy:DIR/bins.json", "--out", "OUT"], "DIR/bins.json: bins: 2000000000 must be a whole number from 2 to 1000" },
        { "policy: unknown operation", ["train", "--dataset", "DATA", "--augment", "policy:DIR/warp.json", "--out", "OUT"], "DIR/warp.json: slots[0].operations[3].name: unknown operation 'warp'; valid: identity" },
        { "policy: colour operation on grayscale data", ["train", "--dataset", "DATA", "--augment", "policy:DIR/colour.json", "--out", "OUT"], "DIR/colour.json: slots[0].operations[7].name: 'color' is a colour operation, but the data has 1 channel(s)" },
        { "compare: colour policy on grayscale data", ["compare", "--dataset", "DATA", "--epochs", "1", "--methods", "none,standard+policy:DIR/colour.json", "--out", "OUT"], "DIR/colour.json: slots[0].operations[7].name" },
        { "policy: a directory", ["train", "--dataset", "DATA", "--augment", "policy:DIR", "--out", "OUT"], "DIR: is a directory; pass the policy.json file inside it" },
        { "compare: none,NONE", ["compare", "--dataset", "DATA", "--epochs", "1", "--methods", "none,NONE", "--out", "OUT"], "--methods: 'NONE' is the same method as 'none'; give each method once" },
        { "compare: a method twice", ["compare", "--dataset", "DATA", "--epochs", "1", "--methods", "none,trivialaugment,none", "--out", "OUT"], "--methods: 'none' is given twice" },
        { "demo: none,NONE", ["demo", "--dataset", "DATA", "--epochs", "1", "--methods", "none,NONE", "--out", "OUT"], "--methods: 'NONE' is the same method as 'none'" },
        { "bench accuracy: a method twice", ["bench", "accuracy", "--protocols", "fashion-mnist", "--methods", "none,none", "--out", "OUT"], "--methods: 'none' is given twice" },
        { "grid-search: a magnitude twice", ["grid-search", "--dataset", "DATA", "--epochs", "1", "--grid", "0,0.5,0.5", "--out", "OUT"], "--grid 0,0.5,0.5: 0.5 is given twice; give each magnitude once" },
        { "compare: a grid magnitude twice", ["compare", "--dataset", "DATA", "--epochs", "1", "--methods", "none,grid:random-affine", "--grid", "0,0.5,0.50", "--out", "OUT"], "--grid 0,0.5,0.5: 0.5 is given twice" },
        { "train: --policy-lr with trivialaugment", ["train", "--dataset", "DATA", "--augment", "trivialaugment", "--policy-lr", "0.1", "--out", "OUT"], "--policy-lr applies only to learned-policy methods (learned-policy, learned-policy-shuffled); --augment is trivialaugment" },
        { "train: --policy-ops with none", ["train", "--dataset", "DATA", "--policy-ops", "identity,rotate", "--out", "OUT"], "--policy-ops applies only to learned-policy methods" },
        { "compare: --policy-samples without a policy method", ["compare", "--dataset", "DATA", "--epochs", "1", "--methods", "none,standard", "--policy-samples", "2", "--out", "OUT"], "--policy-samples applies only to learned-policy methods (learned-policy, learned-policy-shuffled); --methods has none,standard" },
        { "grid-search: --policy-kl", ["grid-search", "--dataset", "DATA", "--epochs", "1", "--policy-kl", "0.1", "--out", "OUT"], "--policy-kl applies only to learned-policy methods (learned-policy, learned-policy-shuffled); grid-search trains random-affine" },
        { "train: --cache-dir is a file", ["train", "--dataset", "DATA", "--cache-dir", "DIR/file", "--out", "OUT"], "--cache-dir DIR/file: is a file; pass a directory" },
        { "train: --cache-dir below a file", ["train", "--dataset", "DATA", "--cache-dir", "DIR/file/cache", "--out", "OUT"], "--cache-dir DIR/file/cache: a parent of it (DIR/file) is a file" },
        { "train: --cache-dir under /proc", ["train", "--dataset", "DATA", "--cache-dir", "/proc/dabo-test-cache", "--out", "OUT"], "--cache-dir /proc/dabo-test-cache: " },
        { "data: --cache-dir is a file", ["data", "DATA", "--cache-dir", "DIR/file"], "--cache-dir DIR/file: is a file" },
        { "preview: --cache-dir is a file", ["preview", "--dataset", "DATA", "--cache-dir", "DIR/file", "--out", "OUT/p.png"], "--cache-dir DIR/file: is a file" },
        { "train: --config is a directory", ["train", "--dataset", "DATA", "--config", "DIR", "--out", "OUT"], "--config DIR: is a directory; pass the config.json file" },
        { "train: unknown model", ["train", "--dataset", "DATA", "--model", "nosuch", "--out", "OUT"], "--model nosuch: unknown model; valid: small-cnn, " },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_with_one_line_and_nothing_written(string name, string[] args, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("file"), name);
        WritePolicies(dir);
        string[] all = args[0] is "bench" or "data" ? args : [.. args, "--train-size", "0"];
        BadInputTests.AssertRefused(dir, all, expected);
        Assert.Equal(name, File.ReadAllText(dir.Combine("file")));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, ".dabo-cache-probe-*"));
    }

    [Fact]
    public void Policy_flags_are_accepted_when_a_method_is_a_learned_policy()
    {
        var settings = new TrainCommand.Settings { PolicyLr = 0.1, PolicyControl = "shuffle" };
        settings.CheckPolicyFlags(["none", "learned-policy-shuffled:1"], "x");
        settings.CheckPolicyFlags(["standard+learned-policy:2:narrow"], "x");
        new TrainCommand.Settings().CheckPolicyFlags(["none"], "x");
    }

    /// <summary>Policy files made from a written one: too many bins, an unknown operation, and an RGB policy.</summary>
    private static void WritePolicies(TempDirectory dir)
    {
        string gray = dir.Combine("gray.json");
        using (var policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(1), 2))
        {
            PolicyFile.Write(policy, gray, 1);
        }
        using (var policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(3), 2))
        {
            PolicyFile.Write(policy, dir.Combine("colour.json"), 3);
        }
        var bins = JsonNode.Parse(File.ReadAllText(gray))!;
        bins["bins"] = 2_000_000_000;
        File.WriteAllText(dir.Combine("bins.json"), bins.ToJsonString());
        var warp = JsonNode.Parse(File.ReadAllText(gray))!;
        warp["slots"]![0]!["operations"]![3]!["name"] = "warp";
        File.WriteAllText(dir.Combine("warp.json"), warp.ToJsonString());
    }
}
