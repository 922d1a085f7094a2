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
    [InlineData("--image-size", "0", "[8, 1024]")]
    [InlineData("--image-size", "-16", "[8, 1024]")]
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

/// <summary>Bad data, run directories and sizes: refused before anything is written.</summary>
[Collection("global-rng")]
public class BadDataInputTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "missing dataset", ["train", "--dataset", "DIR/nope", "--out", "OUT"], "DIR/nope: no such file" },
        { "train size not a multiple of the classes", ["train", "--dataset", "DATA", "--train-size", "7", "--out", "OUT"], "--train-size 7" },
        { "train size larger than the data", ["train", "--dataset", "DATA", "--train-size", "4000", "--out", "OUT"], "--train-size 4000" },
        { "learned:DIR without augmenter", ["train", "--dataset", "DATA", "--augment", "learned:DIR/none", "--out", "OUT"], "DIR/none/augmenter.bin" },
        { "learned:DIR with unknown kind", ["train", "--dataset", "DATA", "--augment", "learned:DIR/bogus", "--out", "OUT"], "DIR/bogus/augmenter.bin: unknown augmenter kind 'learned-bogus'" },
        { "empty dataset", ["train", "--dataset", "DIR/empty", "--out", "OUT"], "DIR/empty: the training split holds no images" },
        { "model too large for memory", ["train", "--dataset", "DATA", "--model", "wrn-1000000-1", "--out", "OUT"], "--model wrn-1000000-1: needs about" },
        { "compare: bad train size", ["compare", "--dataset", "DATA", "--train-size", "7", "--epochs", "1", "--out", "OUT"], "--train-size 7" },
        { "compare: learned:DIR with unknown kind", ["compare", "--dataset", "DATA", "--methods", "none,learned:DIR/bogus", "--epochs", "1", "--out", "OUT"], "DIR/bogus/augmenter.bin" },
        { "grid-search: empty dataset", ["grid-search", "--dataset", "DIR/empty", "--epochs", "1", "--out", "OUT"], "DIR/empty" },
        { "out is a file", ["train", "--dataset", "DATA", "--out", "DIR/file"], "--out DIR/file: is a file" },
        { "out below a file", ["train", "--dataset", "DATA", "--epochs", "1", "--out", "DIR/file/run"], "--out DIR/file/run: a parent of it is a file" },
        { "out under /proc", ["train", "--dataset", "DATA", "--epochs", "1", "--out", "/proc/dabo-test-run"], "--out /proc/dabo-test-run" },
        { "out under /sys", ["train", "--dataset", "DATA", "--epochs", "1", "--out", "/sys/dabo-test/run"], "--out /sys/dabo-test/run" },
        { "compare out is a file", ["compare", "--dataset", "DATA", "--epochs", "1", "--train-size", "0", "--out", "DIR/file"], "--out DIR/file: is a file" },
        { "compare out below a file", ["compare", "--dataset", "DATA", "--epochs", "1", "--train-size", "0", "--out", "DIR/file/cmp"], "--out DIR/file/cmp" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_with_one_line_and_nothing_written(string name, string[] args, string expected)
    {
        using var dir = new TempDirectory();
        TestFiles.WriteIdx(dir.Combine("empty"), n: 0, nTest: 0);
        File.WriteAllText(dir.Combine("file"), name);
        Directory.CreateDirectory(dir.Combine("none"));
        WriteAugmenterFile(dir.Combine("bogus", "augmenter.bin"), "learned-bogus");
        // The generated data is small: use all of it unless the case is about --train-size.
        string[] all = args.Contains("--train-size") ? args : [.. args, "--train-size", "0"];
        BadInputTests.AssertRefused(dir, all, expected);
        Assert.Equal(name, File.ReadAllText(dir.Combine("file")));
    }

    [Fact]
    public void A_refused_train_leaves_the_out_directory_usable()
    {
        using var dir = new TempDirectory();
        BadInputTests.AssertRefused(dir, ["train", "--dataset", "DATA", "--train-size", "7", "--epochs", "1", "--out", "OUT"], "--train-size 7");
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "8", "--epochs", "1", "--out", dir.Combine("out"), "--quiet");
        Assert.True(code == 0, err);
    }

    /// <summary>An augmenter file in Dabo's format whose kind is <paramref name="kind"/>.</summary>
    internal static void WriteAugmenterFile(string path, string kind)
    {
        // A well-checksummed file whose content names an unknown kind.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Dabo.IO.ChecksummedFile.Write(path, w =>
        {
            w.Write("DABO-AUGMENTER-v1");
            w.Write(kind);
            w.Write(1);
            w.Write("{}");
        });
    }
}

/// <summary>Divergence: detected (not only NaN), worded correctly, and blamed on the right learning rate.</summary>
[Collection("global-rng")]
public class DivergenceTests
{
    [Theory]
    [InlineData("none", "ranges", "--lr", "100", "lower --lr")]
    [InlineData("learned-affine", "mlp", "--augmenter-lr", "1e6", "lower --augmenter-lr")]
    public void Divergence_exits_2_names_the_rate_and_keeps_nothing(string augment, string kind, string flag, string value, string advice)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var line = BadInputTests.AssertRefused(dir, ["train", "--dataset", "DATA", "--train-size", "0", "--epochs", "2", "--augment", augment, "--augmenter-kind", kind, flag, value, "--out", "OUT"], "training diverged");
        Assert.Contains(advice, line);
        Assert.Contains("nothing is kept", line);
        Assert.DoesNotContain("(epoch 0)", line);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void A_loss_far_above_the_first_is_an_explosion_even_when_finite()
    {
        var watch = new Dabo.Training.DivergenceWatch(null);
        Assert.False(watch.Observe(2.3, null));
        Assert.False(watch.Observe(2.3e3, null));
        Assert.True(watch.Observe(5e25, null));
        Assert.True(new Dabo.Training.DivergenceWatch(null).Observe(double.NaN, null));
    }

    [Fact]
    public void The_augmenter_is_blamed_only_when_it_blew_up_before_the_loss_rose()
    {
        var augmenterFirst = new Dabo.Training.DivergenceWatch(1);
        augmenterFirst.Observe(2.3, 1e6);
        Assert.True(augmenterFirst.Observe(double.NaN, double.NaN));
        Assert.True(augmenterFirst.AugmenterBlamed);

        var lossFirst = new Dabo.Training.DivergenceWatch(1);
        lossFirst.Observe(2.3, 1);
        lossFirst.Observe(500, 1e6);
        Assert.True(lossFirst.Observe(1e7, 1e9));
        Assert.False(lossFirst.AugmenterBlamed);
    }
}
