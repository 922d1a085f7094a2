using System.Reflection;
using Dabo.Cli;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

/// <summary>
/// Bad command-line input: exit code 2, exactly one stderr line naming the flag or file, and
/// nothing created in --out (so that the corrected command is not refused with "already holds a run").
/// </summary>
[Collection("global-rng")]
public class BadInputTests
{
    /// <summary>Runs <paramref name="args"/> (DATA and OUT replaced) and checks the refusal.</summary>
    internal static string AssertRefused(TempDirectory dir, string[] args, string expected)
    {
        string data = dir.Combine("data");
        if (!Directory.Exists(data))
        {
            TrainingData.WriteSeparable(data, train: 40, test: 16);
        }
        string output = dir.Combine("out");
        var resolved = args.Select(a => a.Replace("DATA", data, StringComparison.Ordinal).Replace("OUT", output, StringComparison.Ordinal)
            .Replace("DIR", dir.Path, StringComparison.Ordinal)).ToArray();
        var (code, _, err) = CliRunner.Run(resolved);

        Assert.True(code == 2, $"exit {code}: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("dabo: error: ", lines[0]);
        Assert.Contains(expected.Replace("DIR", dir.Path, StringComparison.Ordinal), lines[0]);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), $"{output} was created with: {string.Join(", ", Directory.Exists(output) ? Directory.EnumerateFileSystemEntries(output) : [])}");
        return lines[0];
    }

    [Theory]
    [InlineData("--lr", "1e308", "(0, 1000000]")]
    [InlineData("--lr", "3.5e38", "(0, 1000000]")]
    [InlineData("--lr", "inf", "(0, 1000000]")]
    [InlineData("--lr", "-1", "(0, 1000000]")]
    [InlineData("--weight-decay", "1e308", "[0, 1]")]
    [InlineData("--weight-decay", "nan", "[0, 1]")]
    [InlineData("--augmenter-lr", "1e300", "[0, 1000000]")]
    [InlineData("--epochs", "abc", "not a whole number")]
    [InlineData("--epochs", "99999999999", "[1, 100000]")]
    [InlineData("--epochs", "2.5", "[1, 100000]")]
    [InlineData("-e", "0", "--epochs 0: out of range; use a whole number in [1, 100000]")]
    [InlineData("--momentum", "nan", "[0, 1)")]
    [InlineData("--warmup-epochs", "nan", "--warmup-epochs")]
    [InlineData("--augmenter-momentum", "5", "[0, 1)")]
    [InlineData("--augmenter-momentum", "nan", "[0, 1)")]
    [InlineData("--augmenter-weight-decay", "nan", "[0, 1]")]
    [InlineData("--augmenter-weight-decay", "-1", "[0, 1]")]
    [InlineData("--apply-probability", "1.5", "[0, 1]")]
    [InlineData("--val-ratio", "nan", "[0, 1)")]
    [InlineData("--batch-size", "1e3", "not a whole number")]
    [InlineData("--seed", "-1", "--seed")]
    [InlineData("--threads", "-2", "--threads")]
    public void Numeric_flags_out_of_range_name_the_flag_and_range(string flag, string value, string range)
    {
        using var dir = new TempDirectory();
        var line = AssertRefused(dir, ["train", "--dataset", "DATA", "--epochs", "1", flag, value, "--out", "OUT"], range);
        Assert.Contains(flag.StartsWith("--", StringComparison.Ordinal) ? $"{flag} {value}" : value, line);
    }

    [Theory]
    [InlineData("compare", "--seeds", "0")]
    [InlineData("compare", "--jobs", "x")]
    [InlineData("grid-search", "--seeds", "1e9")]
    [InlineData("bench speed", "--steps", "0")]
    [InlineData("eval", "--tta", "nan")]
    [InlineData("preview", "--images", "99999999999")]
    [InlineData("demo", "--epochs", "-1")]
    public void Numeric_flags_of_other_commands_are_checked_too(string command, string flag, string value)
    {
        using var dir = new TempDirectory();
        AssertRefused(dir, [.. command.Split(' '), flag, value, "--out", "OUT"], $"{flag} {value}");
    }

    [Fact]
    public void Every_numeric_flag_of_every_command_has_a_range()
    {
        foreach (var (command, settings) in FlagRanges.Commands)
        {
            foreach (var (_, flag) in FlagRanges.NumericOptions(settings))
            {
                Assert.True(FlagRanges.Find(flag) is not null, $"{command} {flag} has no range");
            }
        }
        var numeric = typeof(FlagRanges).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Spectre.Console.Cli.CommandSettings)) && !t.IsAbstract)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Count(p => p.Name == "Threads");
        Assert.True(numeric >= 5); // the reflection above really sees the settings classes
    }

    [Theory]
    [InlineData("{\"model\": null}", "'model'")]
    [InlineData("{\"schedule\": null}", "'schedule'")]
    [InlineData("{\"dataset\": null}", "'dataset'")]
    [InlineData("{\"momentum\": \"NaN\"}", "--momentum")]
    [InlineData("{\"epochs\": \"x\"}", "'epochs'")]
    [InlineData("{\"train_size\": 0}", "--train-size 0")]
    public void Config_file_with_bad_keys_names_the_file_and_key(string json, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("c.json"), json);
        var line = AssertRefused(dir, ["train", "--config", dir.Combine("c.json"), "--dataset", "DATA", "--epochs", "1", "--out", "OUT"], expected);
        if (!expected.StartsWith("--", StringComparison.Ordinal))
        {
            Assert.Contains(dir.Combine("c.json"), line);
        }
    }
}
