namespace Dabo.Tests.Cli;

public class BenchSuiteCommandTests
{
    // The three archives only need to exist for the plan (nothing is read without training).
    private static string DataDir(TempDirectory dir)
    {
        foreach (var name in new[] { "gtsrb-32.tar.gz", "pbc-blood-32.tar.gz", "cifar10-jpg.tar.gz" })
        {
            File.WriteAllBytes(dir.Combine(name), []);
        }
        return dir.Path;
    }

    [Fact]
    public void Plan_lists_the_runs_in_order_with_phases_and_an_estimate()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliRunner.Run("bench", "suite", "--plan", "--data-dir", DataDir(dir), "--out", dir.Combine("suite"));
        Assert.True(code == 0, err);
        Assert.Contains("304 runs", output, StringComparison.Ordinal);
        Assert.Contains("phase 1 (short schedule, user protocol): 96 runs, 0 finished, about", output, StringComparison.Ordinal);
        Assert.Contains("phase 4 (long schedule, 800/200 extras): 56 runs", output, StringComparison.Ordinal);
        Assert.Contains("gtsrb: 989 labelled images (23 per class)", output, StringComparison.Ordinal);
        Assert.Contains("waits for the grid's selection", output, StringComparison.Ordinal);
        Assert.Contains("job-hours", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("suite"))); // a plan writes nothing
    }

    [Fact]
    public void Dataset_paths_are_absolute_so_that_a_rerun_from_elsewhere_reuses_the_runs()
    {
        using var dir = new TempDirectory();
        DataDir(dir);
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, dir.Path);
        var settings = new Dabo.Cli.Commands.BenchSuiteCommand.Settings { DataDir = relative };
        var plan = Dabo.Cli.Commands.BenchSuiteCommand.CreatePlan(settings, dir.Combine("suite"));
        Assert.Equal(Path.Combine(dir.Path, "gtsrb-32.tar.gz"), plan.Datasets.Single(d => d.Name == "gtsrb").Path);
    }

    [Fact]
    public void Quick_plans_one_seed_of_the_short_schedule_on_two_datasets()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliRunner.Run("bench", "suite", "--quick", "--plan", "--data-dir", DataDir(dir), "--out", dir.Combine("suite"));
        Assert.True(code == 0, err);
        Assert.Contains("2 dataset(s) × 1 schedule(s) × 6 method(s) × 1 seed(s) → 24 runs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gtsrb", output, StringComparison.Ordinal);
        Assert.DoesNotContain("phase 2", output, StringComparison.Ordinal); // the user's protocol only
    }

    [Fact]
    public void User_protocol_only_drops_the_800_200_phases()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliRunner.Run("bench", "suite", "--user-protocol-only", "--schedules", "long", "--plan", "--data-dir", DataDir(dir), "--out", dir.Combine("suite"));
        Assert.True(code == 0, err);
        Assert.Contains("phase 1 (long schedule, user protocol): 96 runs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("800/200", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Slurm_dry_run_submits_one_task_per_unfinished_run_of_the_suite()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliRunner.Run("bench", "suite", "--quick", "--data-dir", DataDir(dir), "--out", dir.Combine("suite"), "--slurm", "--dry-run");
        Assert.True(code == 0, err);
        Assert.Contains("#SBATCH --array=0-23\n", output, StringComparison.Ordinal);
        Assert.Contains("bench suite --quick", output, StringComparison.Ordinal);
        Assert.Contains("--worker\n", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("suite")));
    }

    [Theory]
    [InlineData("--datasets", "mnist", "--datasets: unknown name 'mnist'")]
    [InlineData("--schedules", "medium", "--schedules: unknown name 'medium'")]
    [InlineData("--methods", "none,bogus", "--methods:")]
    [InlineData("--seeds", "0", "--seeds 0")]
    public void Bad_flags_are_refused_in_one_line(string flag, string value, string message)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("bench", "suite", "--plan", "--data-dir", DataDir(dir), "--out", dir.Combine("suite"), flag, value);
        Assert.NotEqual(0, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void A_missing_archive_names_data_dir()
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run("bench", "suite", "--plan", "--data-dir", dir.Path, "--datasets", "gtsrb", "--out", dir.Combine("suite"));
        Assert.NotEqual(0, code);
        Assert.Contains("--data-dir", err, StringComparison.Ordinal);
        Assert.Contains("gtsrb-32.tar.gz", err, StringComparison.Ordinal);
    }
}
