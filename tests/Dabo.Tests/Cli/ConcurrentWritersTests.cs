using System.Text.Json;
using Dabo.Tests.Training;

namespace Dabo.Tests.Cli;

/// <summary>Two real <c>dabo train</c> processes started together on one new <c>--out</c>: one trains, the other is refused.</summary>
[Collection("global-rng")]
public class ConcurrentWritersTests
{
    [Fact]
    public void Two_train_processes_on_one_new_out_one_trains_the_other_is_refused_and_the_run_is_consistent()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"), train: 400);
        string run = dir.Combine("runs", "x");
        string[] Train(int seed) => ["train", "--dataset", dir.Combine("data"), "--train-size", "400", "--epochs", "8", "--batch-size", "8", "--model", "small-cnn",
            "--augment", "standard", "--seed", $"{seed}", "--threads", "1", "--out", run, "--quiet"];

        var processes = new[] { KillAndResumeTests.StartCli(Train(0)), KillAndResumeTests.StartCli(Train(1)) };
        var results = processes.Select(p =>
        {
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(4)), "dabo train did not finish");
            p.WaitForExit();
            return (Code: p.ExitCode, Err: err.Result.Trim());
        }).ToList();
        foreach (var p in processes)
        {
            p.Dispose();
        }

        int winner = results.FindIndex(r => r.Code == 0);
        Assert.True(winner >= 0 && results[1 - winner].Code != 0, $"exactly one must succeed: {string.Join(" | ", results)}");
        var loser = results[1 - winner];
        // On a loaded machine the winner may have finished before the loser starts: then the run is simply there.
        Assert.Matches(@$"^dabo: error: --out {System.Text.RegularExpressions.Regex.Escape(run)}: (another dabo process is writing this run \(pid \d+\?\); wait for it or choose another --out|already holds a run; pass --resume to continue it or choose another --out)$", loser.Err);

        // config.json and metrics.jsonl are both the winner's: the seed it was given, and its epochs.
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        Assert.Equal(winner, config.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(8, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(winner, summary.RootElement.GetProperty("seed").GetInt32());

        // The same run trained alone gives the same metrics: the refused process wrote nothing into it.
        string alone = dir.Combine("alone");
        string[] again = Train(winner);
        again[Array.IndexOf(again, run)] = alone;
        var (code, _, err) = CliRunner.Run(again);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(Path.Combine(alone, "metrics.jsonl")).Split('\n').Select(WithoutSeconds), File.ReadAllText(Path.Combine(run, "metrics.jsonl")).Split('\n').Select(WithoutSeconds));
    }

    private static string WithoutSeconds(string line) => System.Text.RegularExpressions.Regex.Replace(line, "\"seconds\":[^,}]*", "");
}
