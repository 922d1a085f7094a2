using Dabo.Tests.Cli;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Training;

/// <summary>One writer per run directory: a second claim, and a trainer on a claimed directory, are refused in one line.</summary>
[Collection("global-rng")]
public class RunDirectoryClaimTests
{
    public RunDirectoryClaimTests() => TorchRuntime.Initialize();

    private static string Busy(string run) => $"--out {run}: another dabo process is writing this run (pid {Environment.ProcessId}?); wait for it or choose another --out";

    [Fact]
    public void A_second_claim_is_refused_naming_the_directory_and_granted_after_the_first_is_released()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Combine("runs", "x"));
        using (run.Claim())
        {
            var e = Assert.Throws<DaboException>(() => run.Claim());
            Assert.Equal(Busy(run.Path), e.Message);
        }
        using var again = run.Claim();
        Assert.False(Directory.Exists(run.Path)); // a claim creates only the lock file beside the run
    }

    [Fact]
    public void A_claim_on_a_root_or_a_virtual_file_system_is_refused_in_one_line()
    {
        Assert.Contains("--out /: a root directory cannot hold a run", Assert.Throws<DaboException>(() => new RunDirectory("/").Claim()).Message);
        Assert.StartsWith("--out /proc/x: ", Assert.Throws<DaboException>(() => new RunDirectory("/proc/x").Claim()).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_trainer_on_a_run_another_writer_holds_is_refused_and_touches_no_file(bool resume)
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = new TrainingConfig { Dataset = dir.Combine("data"), TrainSize = 200, Epochs = 1, BatchSize = 16, Augment = "none" };
        string run = dir.Combine("run");
        if (resume)
        {
            new Trainer(config, run).Run();
            File.Delete(Path.Combine(run, "summary.json")); // an unfinished run, as a resumer finds it
        }
        var before = Snapshot(run);

        using (new RunDirectory(run).Claim())
        {
            var e = Assert.Throws<DaboException>(() => new Trainer(config, run).Run(resume));
            Assert.Equal(Busy(run), e.Message);
        }
        Assert.Equal(before, Snapshot(run));
        Assert.Equal(resume, Directory.Exists(run));
    }

    private static Dictionary<string, string> Snapshot(string dir) => !Directory.Exists(dir) ? [] :
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => $"{File.GetLastWriteTimeUtc(f).Ticks}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}");
}
