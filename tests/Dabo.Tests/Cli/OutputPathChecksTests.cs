using Dabo.IO;

namespace Dabo.Tests.Cli;

/// <summary>
/// Every output path is checked before any work (issue 20, item 4): special file systems, a parent that is a
/// file, a directory where a file goes (also export's FILE.json), refused in one line naming the flag, with
/// nothing written. Tests run as root, where permissions do not bind, so unwritable places are /proc and
/// paths below a regular file.
/// </summary>
[Collection("global-rng")]
public class OutputPathChecksTests
{
    public static TheoryData<string, string[], string, string> Cases => new()
    {
        // name, arguments, expected message part, path that must not exist afterwards
        { "export under /proc", ["export", "--run", "DIR/run", "--out", "/proc/dabo-test.safetensors"], "--out /proc/dabo-test.safetensors: on the special file system 'proc'", "DIR/run" },
        { "export under a file", ["export", "--run", "DIR/run", "--out", "DIR/file/m.safetensors"], "--out DIR/file/m.safetensors: a parent of it is a file", "DIR/m.safetensors" },
        { "export beside a directory FILE.json", ["export", "--run", "DIR/run", "--out", "DIR/sidecar.safetensors"], "DIR/sidecar.json, written beside it, is a directory", "DIR/sidecar.safetensors" },
        { "export onto a directory", ["export", "--run", "DIR/run", "--out", "DIR/adir.safetensors"], "--out DIR/adir.safetensors: is a directory", "DIR/adir.json" },
        { "preview under /proc", ["preview", "--dataset", "DATA", "--out", "/proc/dabo-test.png"], "--out /proc/dabo-test.png: on the special file system 'proc'", "DIR/never" },
        { "preview under a file", ["preview", "--dataset", "DATA", "--out", "DIR/file/p.png"], "--out DIR/file/p.png: a parent of it is a file", "DIR/p.png" },
        { "preview onto a directory", ["preview", "--dataset", "DATA", "--out", "DIR/adir.png"], "--out DIR/adir.png: is a directory", "DIR/never" },
        { "train --tensorboard under /proc", ["train", "--dataset", "DATA", "--epochs", "1", "--tensorboard", "/proc/dabo-tb", "--out", "OUT"], "--tensorboard /proc/dabo-tb: on the special file system 'proc'", "OUT" },
        { "train --tensorboard under a file", ["train", "--dataset", "DATA", "--epochs", "1", "--tensorboard", "DIR/file/tb", "--out", "OUT"], "--tensorboard DIR/file/tb: a parent of it is a file", "OUT" },
        { "train --out under /proc", ["train", "--dataset", "DATA", "--epochs", "1", "--out", "/proc/dabo-run"], "--out /proc/dabo-run: on the special file system 'proc'", "DIR/never" },
        { "compare --out under /proc", ["compare", "--dataset", "DATA", "--epochs", "1", "--out", "/proc/dabo-cmp"], "--out /proc/dabo-cmp: on the special file system 'proc'", "DIR/never" },
        { "compare --tensorboard under a file", ["compare", "--dataset", "DATA", "--epochs", "1", "--train-size", "0", "--tensorboard", "DIR/file/tb", "--out", "OUT"], "--tensorboard DIR/file/tb", "OUT" },
        { "grid-search --out below a file", ["grid-search", "--dataset", "DATA", "--epochs", "1", "--out", "DIR/file/grid"], "--out DIR/file/grid: a parent of it is a file", "DIR/never" },
        { "demo --out under /proc", ["demo", "--dataset", "DATA", "--epochs", "1", "--out", "/proc/dabo-demo"], "--out /proc/dabo-demo: on the special file system 'proc'", "DIR/never" },
        { "demo --out below a file", ["demo", "--dataset", "DATA", "--epochs", "1", "--out", "DIR/file/demo"], "--out DIR/file/demo: a parent of it is a file", "DIR/never" },
        { "bench accuracy --out under /proc", ["bench", "accuracy", "--quick", "--out", "/proc/dabo-bench"], "--out /proc/dabo-bench: on the special file system 'proc'", "DIR/never" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_before_any_work_with_nothing_written(string name, string[] args, string expected, string absent)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("file"), name);
        Directory.CreateDirectory(dir.Combine("sidecar.json"));
        Directory.CreateDirectory(dir.Combine("adir.safetensors"));
        Directory.CreateDirectory(dir.Combine("adir.png"));

        BadInputTests.AssertRefused(dir, args, expected);

        Assert.Equal(name, File.ReadAllText(dir.Combine("file")));
        string missing = absent.Replace("DIR", dir.Path, StringComparison.Ordinal).Replace("OUT", dir.Combine("out"), StringComparison.Ordinal);
        Assert.False(Path.Exists(missing), $"{missing} was written");
        // No probe or temporary file is left anywhere in the directory.
        Assert.Empty(Directory.EnumerateFiles(dir.Path, ".*", SearchOption.AllDirectories));
    }

    [Fact]
    public void After_a_refused_tensorboard_the_corrected_command_trains_into_the_same_out()
    {
        using var dir = new TempDirectory();
        BadInputTests.AssertRefused(dir, ["train", "--dataset", "DATA", "--train-size", "0", "--epochs", "1", "--tensorboard", "/proc/dabo-tb", "--out", "OUT"], "--tensorboard /proc/dabo-tb");

        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "0", "--epochs", "1", "--out", dir.Combine("out"), "--quiet");

        Assert.True(code == 0, err);
        Assert.True(File.Exists(dir.Combine("out", "summary.json")));
    }

    [Theory]
    [InlineData("a new directory", "new/deeper", true)]
    [InlineData("an existing directory", "existing", true)]
    [InlineData("a new file", "new/file.png", false)]
    public void Writable_locations_pass_and_are_left_untouched(string what, string relative, bool directory)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("existing"));
        string path = dir.Combine(relative);

        if (directory)
        {
            OutputPaths.CheckDirectory("--out", path);
        }
        else
        {
            OutputPaths.CheckFile("--out", path);
        }

        Assert.False(Directory.Exists(dir.Combine("new")), what);
        Assert.Equal([dir.Combine("existing")], Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
