using System.Diagnostics;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

/// <summary>
/// The hardest interruption a user can make: <c>kill -9</c> of a real <c>dabo train</c> process in
/// the middle of training (possibly mid-write), then <c>--resume</c>. The result must be the files of
/// a run that was never interrupted.
/// </summary>
[Collection("global-rng")]
public class KillAndResumeTests
{
    private static string[] Train(string data, string run) =>
        ["train", "--dataset", data, "--train-size", "200", "--val-ratio", "0.2", "--epochs", "6", "--batch-size", "12", "--model", "small-cnn",
            "--augment", "learned-affine", "--seed", "5", "--threads", "1", "--out", run, "--quiet"];

    internal static Process StartCli(IEnumerable<string> args)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is null || !File.Exists(host))
        {
            string? current = Environment.ProcessPath;
            host = current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
        var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dabo.Cli.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the CLI");
    }

    private static void RunCli(IEnumerable<string> args)
    {
        using var process = StartCli(args);
        var err = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "CLI did not finish");
        Assert.True(process.ExitCode == 0, err.Result);
    }

    private static int Lines(string file)
    {
        try
        {
            return File.ReadAllLines(file).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public void Learned_run_killed_after_epoch_2_resumes_to_the_same_files()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        RunCli(Train(dir.Combine("data"), dir.Combine("straight")));

        string run = dir.Combine("killed");
        using (var process = StartCli(Train(dir.Combine("data"), run)))
        {
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (Lines(Path.Combine(run, "metrics.jsonl")) < 2 && !process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3))
            {
                Thread.Sleep(5);
            }
            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(); // SIGKILL: no handler runs, a write in progress is cut off
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(run, "summary.json")));
        Assert.InRange(Lines(Path.Combine(run, "metrics.jsonl")), 2, 5);

        RunCli([.. Train(dir.Combine("data"), run), "--resume"]);

        ResumeTests.AssertSameRun(dir.Combine("straight"), run, learned: true);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }
}
