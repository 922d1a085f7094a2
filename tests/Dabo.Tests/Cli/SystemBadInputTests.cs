using System.Diagnostics;
using Dabo.Cli;
using Dabo.Tests.Training;
using Xunit.Abstractions;

namespace Dabo.Tests.Cli;

/// <summary>
/// Bad input that needs the operating system's help to make: names that are not UTF-8, files an
/// unprivileged user may not read or write, read-only and full file systems. Cases that this machine
/// cannot set up (not root, no setpriv, mounting not permitted) pass after writing why they did not run.
/// </summary>
[Collection("global-rng")]
public class SystemBadInputTests(ITestOutputHelper output)
{
    private const string Nobody = "65534";

    [Theory]
    [InlineData("class folder", "train/b\\377")]
    [InlineData("image file", "train/a/9\\377.png")]
    public void Dataset_names_that_are_not_utf8_are_refused_naming_them(string what, string badName)
    {
        using var dir = new TempDirectory();
        TestFiles.WriteFiles(dir.Combine("data"), TestFiles.ImageFolderFiles(classes: 2, perClass: 4, testPerClass: 2));
        // .NET cannot create such a name (it encodes strings as UTF-8), so the shell makes it from raw bytes.
        string source = dir.Combine("data", "train", "class0", "000.png");
        string script = badName.EndsWith(".png", StringComparison.Ordinal)
            ? $"cp '{source}' \"$(printf '{dir.Combine("data", "train", "class0")}/9\\377.png')\""
            : $"mkdir \"$(printf '{dir.Combine("data", "train")}/b\\377')\" && for i in 0 1 2 3 4 5 6 7 8 9; do cp '{source}' \"$(printf '{dir.Combine("data", "train")}/b\\377')/$i.png\"; done";
        Assert.Equal(0, Shell(script).ExitCode);

        var line = BadInputTests.AssertRefused(dir, ["train", "--dataset", "DATA", "--train-size", "0", "--epochs", "1", "--cache-dir", "DIR/cache", "--out", "OUT"], "not valid UTF-8");
        Assert.Contains(dir.Combine("data", "train"), line);
        Assert.Contains("rename", line);
        output.WriteLine($"{what}: {line}");
    }

    [Theory]
    [InlineData("--out", "run\uFFFD")]
    [InlineData("--dataset", "data\uFFFD")]
    public void Arguments_that_were_not_utf8_are_refused_naming_the_flag(string flag, string value)
    {
        using var dir = new TempDirectory();
        string[] args = flag == "--out"
            ? ["train", "--dataset", "DATA", "--train-size", "0", "--epochs", "1", "--out", "DIR/" + value]
            : ["train", "--dataset", "DIR/" + value, "--epochs", "1", "--out", "OUT"];
        BadInputTests.AssertRefused(dir, args, $"{flag} ");
        Assert.Single(Directory.EnumerateFileSystemEntries(dir.Path)); // only the generated data
    }

    [Fact]
    public void Threads_above_the_cores_are_capped_with_a_warning()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"), train: 40, test: 16);
        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "0", "--epochs", "1", "--threads", "1000", "--out", dir.Combine("run"), "--quiet");

        Assert.True(code == 0, err);
        Assert.Contains($"dabo: warning: --threads 1000: more than the {Environment.ProcessorCount} cores", err);
        Assert.Equal(Environment.ProcessorCount, TorchRuntime.EffectiveThreads(1000));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Unreadable_dataset_file_and_unwritable_out_as_an_unprivileged_user()
    {
        if (Unavailable("setpriv") is { } reason)
        {
            output.WriteLine($"not run: {reason}");
            return;
        }
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101); // root-owned 0755: not writable by nobody
        TrainingData.WriteSeparable(dir.Combine("data"), train: 40, test: 16);
        File.SetUnixFileMode(dir.Combine("data"), (UnixFileMode)0b111_101_101);
        foreach (var file in Directory.EnumerateFiles(dir.Combine("data")))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        }
        string unreadable = dir.Combine("data", "train-images-idx3-ubyte");
        File.SetUnixFileMode(unreadable, UnixFileMode.None);

        // A writable --out, so that the unreadable dataset is the only fault (output paths are checked first).
        Directory.CreateDirectory(dir.Combine("writable"));
        File.SetUnixFileMode(dir.Combine("writable"), (UnixFileMode)0b111_111_111);
        var (code, err) = RunAsNobody("train", "--dataset", dir.Combine("data"), "--train-size", "0", "--epochs", "1", "--out", dir.Combine("writable", "tmp-run"));
        AssertOneLine(code, err, unreadable + ": permission denied");

        File.SetUnixFileMode(unreadable, (UnixFileMode)0b110_100_100);
        (code, err) = RunAsNobody("train", "--dataset", dir.Combine("data"), "--train-size", "0", "--epochs", "1", "--out", dir.Combine("run"));
        AssertOneLine(code, err, $"--out {dir.Combine("run")}: permission denied");
        Assert.False(Directory.Exists(dir.Combine("run")));
        Assert.False(Directory.Exists(dir.Combine("writable", "tmp-run")));
    }

    [Fact]
    public void Out_on_a_read_only_mount_is_refused_naming_it()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("ro"));
        if (Mount(["--bind", "-o", "ro", dir.Combine("ro"), dir.Combine("ro")]) is { } reason)
        {
            output.WriteLine($"not run: {reason}");
            return;
        }
        try
        {
            BadInputTests.AssertRefused(dir, ["train", "--dataset", "DATA", "--train-size", "0", "--epochs", "1", "--out", "DIR/ro/run"], "--out DIR/ro/run: read-only file system");
        }
        finally
        {
            Unmount(dir.Combine("ro"));
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("compare")]
    public void Out_on_a_full_disk_says_no_space_left_naming_it(string command)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("full"));
        if (Mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.Combine("full")]) is { } reason)
        {
            output.WriteLine($"not run: {reason}");
            return;
        }
        try
        {
            BadInputTests.AssertRefused(dir, [command, "--dataset", "DATA", "--train-size", "0", "--epochs", "1", "--out", "DIR/full/run"], "--out DIR/full/run: no space left on device");
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Combine("full")));
        }
        finally
        {
            Unmount(dir.Combine("full"));
        }
    }

    private static void AssertOneLine(int code, string err, string expected)
    {
        Assert.True(code == 2, $"exit {code}: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("dabo: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    // Null when the tool exists and this process is root (needed to switch users and to mount), else why not.
    private static string? Unavailable(string tool)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }
        if (!Environment.IsPrivilegedProcess)
        {
            return "the tests do not run as root, so they cannot switch to another user or mount";
        }
        return Shell($"command -v {tool}").ExitCode == 0 ? null : $"{tool} is not installed";
    }

    private static string? Mount(string[] args)
    {
        if (Unavailable("mount") is { } reason)
        {
            return reason;
        }
        var result = Run("mount", args);
        return result.ExitCode == 0 ? null : $"mount is not permitted here ({result.Err.Trim()})";
    }

    private static void Unmount(string path) => Run("umount", [path]);

    private (int ExitCode, string Err) RunAsNobody(params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string dll = typeof(CliApp).Assembly.Location;
        var result = Run("setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "env", "HOME=/tmp", dotnet, dll, .. args]);
        output.WriteLine(result.Err);
        return (result.ExitCode, result.Err);
    }

    private static (int ExitCode, string Err) Shell(string script) => Run("/bin/sh", ["-c", script]);

    private static (int ExitCode, string Err) Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, err.Result);
    }
}
