using System.Security.Cryptography;
using Dabo.IO;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

/// <summary>
/// Every file Dabo reads back, damaged the ways disks, kills and people damage files: the command
/// exits 2 with one line naming the file, and writes nothing.
/// </summary>
[Collection("global-rng")]
public class DamagedFilesTests
{
    private static string[] Train(string data, string run, string augment = "learned-affine", params string[] extra) =>
        ["train", "--dataset", data, "--train-size", "200", "--epochs", "2", "--batch-size", "16", "--model", "small-cnn", "--augment", augment, "--out", run, "--quiet", .. extra];

    /// <summary>A finished two-epoch run in dir/run (dataset in dir/data).</summary>
    private static string FinishedRun(TempDirectory dir, string augment = "learned-affine")
    {
        TrainingData.WriteSeparable(dir.Combine("data"));
        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), dir.Combine("run"), augment));
        Assert.True(code == 0, err);
        return dir.Combine("run");
    }

    /// <summary>Every file and folder under <paramref name="root"/> with its content hash and write time.</summary>
    internal static SortedDictionary<string, string> Snapshot(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetRelativePath(root, entry);
            entries[name] = Directory.Exists(entry)
                ? "directory"
                : $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))} {File.GetLastWriteTimeUtc(entry).Ticks}";
        }
        return entries;
    }

    internal static void AssertOneLineError(int code, string err, string file)
    {
        Assert.True(code == 2, $"exit {code}: {err}");
        var lines = err.Trim().Split('\n');
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("dabo: error: ", lines[0]);
        Assert.Contains(file, lines[0]);
    }

    internal static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "4000 random bytes":
                bytes = new byte[4000];
                new Random(7).NextBytes(bytes);
                break;
            case "starts with ff ff ff ff":
                bytes.AsSpan(0, 4).Fill(0xff);
                break;
            case "one bit flipped":
                bytes[bytes.Length * 2 / 3] ^= 0x10;
                break;
            case "truncated":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "empty":
                bytes = [];
                break;
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                return;
            default:
                throw new ArgumentException(damage, nameof(damage));
        }
        File.WriteAllBytes(path, bytes);
    }

    [Theory]
    [InlineData("4000 random bytes")]
    [InlineData("starts with ff ff ff ff")]
    [InlineData("one bit flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("directory")]
    public void Damaged_checkpoint_is_refused_on_resume(string damage)
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir);
        Damage(Path.Combine(run, "checkpoint.bin"), damage);
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), run, extra: "--resume"));

        AssertOneLineError(code, err, "checkpoint.bin");
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void Checkpoint_of_an_older_dabo_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir);
        using (var w = new BinaryWriter(File.Create(Path.Combine(run, "checkpoint.bin"))))
        {
            w.Write("DABO-CHECKPOINT-v1"); // the layout before checksums
            w.Write(new byte[2000]);
        }
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), run, extra: "--resume"));

        AssertOneLineError(code, err, "checkpoint.bin");
        Assert.Contains("older", err);
        Assert.Equal(before, Snapshot(run));
    }

    [Theory]
    [InlineData("model.bin", "4000 random bytes")]
    [InlineData("model.bin", "starts with ff ff ff ff")]
    [InlineData("model.bin", "one bit flipped")]
    [InlineData("model.bin", "directory")]
    [InlineData("best_model.bin", "one bit flipped")]
    [InlineData("best_model.bin", "truncated")]
    public void Damaged_model_is_refused_by_eval(string file, string damage)
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir, "none");
        Damage(Path.Combine(run, file), damage);
        var before = Snapshot(run);

        var (code, _, err) = file == "best_model.bin" ? CliRunner.Run("eval", "--run", run, "--best") : CliRunner.Run("eval", "--run", run);

        AssertOneLineError(code, err, file);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public void Damaged_best_model_is_refused_on_resume_before_training()
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir, "none");
        Damage(Path.Combine(run, "best_model.bin"), "one bit flipped");
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), run, "none", "--resume"));

        AssertOneLineError(code, err, "best_model.bin");
        Assert.Equal(before, Snapshot(run));
    }

    [Theory]
    [InlineData("4000 random bytes")]
    [InlineData("starts with ff ff ff ff")]
    [InlineData("one bit flipped")]
    [InlineData("truncated")]
    [InlineData("directory")]
    [InlineData("options null")]
    [InlineData("wrong magic")]
    [InlineData("unknown kind")]
    public void Damaged_augmenter_is_refused_before_a_transfer_run_is_created(string damage)
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir);
        string file = Path.Combine(run, "augmenter.bin");
        // The last three are well-formed files (valid checksum) with a damaged content.
        void Rewrite(string magic, string kind, string options) => ChecksummedFile.Write(file, w =>
        {
            w.Write(magic);
            w.Write(kind);
            w.Write(1);
            w.Write(options);
        });
        switch (damage)
        {
            case "options null":
                Rewrite("DABO-AUGMENTER-v1", "learned-affine", "null");
                break;
            case "wrong magic":
                Rewrite("DABO-AUGMENTER-v9", "learned-affine", "{}");
                break;
            case "unknown kind":
                Rewrite("DABO-AUGMENTER-v1", "learned-bogus", "{}");
                break;
            default:
                Damage(file, damage);
                break;
        }
        var before = Snapshot(dir.Path);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), dir.Combine("transfer"), "learned:" + run));

        AssertOneLineError(code, err, "augmenter.bin");
        Assert.Equal(before, Snapshot(dir.Path));
        Assert.False(Directory.Exists(dir.Combine("transfer")));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("null")]
    [InlineData("unknown key")]
    public void Damaged_config_is_refused_on_resume(string damage)
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir, "none");
        string config = Path.Combine(run, "config.json");
        string text = File.ReadAllText(config);
        File.WriteAllText(config, damage switch
        {
            "truncated" => text[..(text.Length / 2)],
            "empty" => "",
            "null" => "null",
            _ => text.Replace("{", "{\"bogus\": 1,", StringComparison.Ordinal),
        });
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), run, "none", "--resume"));

        AssertOneLineError(code, err, "config.json");
        Assert.Equal(before, Snapshot(run));
    }

    [Theory]
    [InlineData("config.json deleted", "config.json")]
    [InlineData("config.json is a directory", "config.json")]
    [InlineData("checkpoint.bin deleted", "checkpoint.bin")]
    [InlineData("not a run", "holds no Dabo run")]
    public void Resume_into_a_directory_that_cannot_be_resumed_is_refused(string state, string expected)
    {
        using var dir = new TempDirectory();
        var run = FinishedRun(dir, "none");
        switch (state)
        {
            case "config.json deleted":
                File.Delete(Path.Combine(run, "config.json"));
                break;
            case "config.json is a directory":
                Damage(Path.Combine(run, "config.json"), "directory");
                break;
            case "checkpoint.bin deleted":
                File.Delete(Path.Combine(run, "checkpoint.bin"));
                break;
            default:
                run = dir.Combine("photos");
                Directory.CreateDirectory(run);
                File.WriteAllText(Path.Combine(run, "holiday.jpg"), "not a run");
                break;
        }
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(Train(dir.Combine("data"), run, "none", "--resume"));

        AssertOneLineError(code, err, expected);
        Assert.Contains(run, err);
        Assert.Equal(before, Snapshot(run));
    }

    [Theory]
    [InlineData("summary.json", "truncated")]
    [InlineData("summary.json", "null")]
    [InlineData("summary.json", "directory")]
    [InlineData("metrics.jsonl", "truncated")]
    public void Damaged_file_of_a_finished_run_in_a_comparison_is_named(string file, string damage)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        string[] compare = ["compare", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16", "--model", "small-cnn",
            "--methods", "none", "--seeds", "1", "--out", dir.Combine("cmp"), "--quiet"];
        var (first, _, firstErr) = CliRunner.Run(compare);
        Assert.True(first == 0, firstErr);
        string run = dir.Combine("cmp", "runs", "none", "seed-0");
        string path = Path.Combine(run, file);
        if (damage == "null")
        {
            File.WriteAllText(path, "null");
        }
        else
        {
            Damage(path, damage);
        }
        var before = Snapshot(run);

        var (code, _, err) = CliRunner.Run(compare);

        AssertOneLineError(code, err, file);
        if (file == "metrics.jsonl")
        {
            Assert.Contains("line 1", err);
        }
        Assert.Equal(before, Snapshot(run));
    }
}
