using Dabo.Cli;
using Dabo.Cli.Slurm;
using Dabo.Experiments;
using Dabo.IO;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Cli;

/// <summary>The scripts, the dry run and the submission of <c>--slurm</c>; none of these needs Slurm.</summary>
[Collection("global-rng")]
public class SlurmTests
{
    private static SlurmOptions Options(bool gpu = false, string? extra = null, int tasks = 4) => new SlurmOptions
    {
        JobName = "dabo-compare",
        Tasks = tasks,
        CpusPerTask = 2,
        Gpu = gpu,
        ExtraArguments = SlurmScript.SplitArguments(extra),
        WorkingDirectory = "/home/me/work",
        LogDirectory = "/shared/cmp/slurm",
        WorkerCommand = ["/usr/bin/dotnet", "/opt/dabo/Dabo.Cli.dll", "compare", "--out", "/shared/cmp", "--jobs", "1", "--threads", "2", "--worker"],
        ResultsCommand = ["/usr/bin/dotnet", "/opt/dabo/Dabo.Cli.dll", "compare", "--out", "/shared/cmp", "--jobs", "1", "--threads", "2"],
    }.Validated();

    private static string[] Directives(string script) =>
        [.. script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l["#SBATCH ".Length..])];

    [Fact]
    public void The_array_script_runs_the_worker_in_every_task()
    {
        string script = SlurmScript.Array(Options());

        Assert.StartsWith("#!/bin/bash\n", script);
        var directives = Directives(script);
        Assert.Contains("--array=0-3", directives);
        Assert.Contains("--cpus-per-task=2", directives);
        Assert.Contains("--output=/shared/cmp/slurm/task-%A_%a.log", directives);
        Assert.Contains("--chdir=/home/me/work", directives);
        Assert.Contains("--requeue", directives);
        Assert.DoesNotContain(directives, d => d.StartsWith("--gres", StringComparison.Ordinal));
        Assert.EndsWith("exec /usr/bin/dotnet /opt/dabo/Dabo.Cli.dll compare --out /shared/cmp --jobs 1 --threads 2 --worker\n", script);
        // Every #SBATCH line comes before the first command, or sbatch ignores it.
        var lines = script.Split('\n');
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal)) < Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#')));
    }

    [Fact]
    public void The_results_job_runs_after_any_end_of_the_array_without_worker()
    {
        string script = SlurmScript.Results(Options(extra: "--partition=gpu"), "4242");

        var directives = Directives(script);
        Assert.Contains("--dependency=afterany:4242", directives);
        Assert.Contains("--job-name=dabo-compare-results", directives);
        Assert.Contains("--output=/shared/cmp/slurm/results-%j.log", directives);
        Assert.Contains("--partition=gpu", directives);
        Assert.DoesNotContain(directives, d => d.StartsWith("--array", StringComparison.Ordinal));
        Assert.EndsWith("compare --out /shared/cmp --jobs 1 --threads 2\n", script);
    }

    [Fact]
    public void Slurm_args_pass_through_to_both_jobs()
    {
        var options = Options(extra: "--partition=gpu --time 2:00:00  --mem=8G --account 'my project' --exclusive");

        Assert.Equal(["--partition=gpu", "--time=2:00:00", "--mem=8G", "--account=my project", "--exclusive"], options.ExtraArguments);
        foreach (string script in new[] { SlurmScript.Array(options), SlurmScript.Results(options, "1") })
        {
            var directives = Directives(script);
            Assert.Contains("--partition=gpu", directives);
            Assert.Contains("--time=2:00:00", directives);
            Assert.Contains("--mem=8G", directives);
            Assert.Contains("--account=\"my project\"", directives); // sbatch reads: --account=my project
            Assert.Contains("--exclusive", directives);
        }
    }

    [Fact]
    public void Cuda_asks_for_one_gpu_per_task_unless_the_args_ask_for_gpus()
    {
        Assert.Contains("--gres=gpu:1", Directives(SlurmScript.Array(Options(gpu: true))));
        Assert.Contains("--gres=gpu:1", Directives(SlurmScript.Results(Options(gpu: true), "7")));
        var own = Directives(SlurmScript.Array(Options(gpu: true, extra: "--gres=gpu:a100:1")));
        Assert.Contains("--gres=gpu:a100:1", own);
        Assert.DoesNotContain("--gres=gpu:1", own);
        Assert.DoesNotContain("--gres=gpu:1", Directives(SlurmScript.Array(Options(gpu: true, extra: "--gpus=2"))));
    }

    [Theory]
    [InlineData("--array=0-9", "--slurm-tasks")]
    [InlineData("-c 4", "--slurm-cpus")]
    [InlineData("--output=x.log", "--out")]
    [InlineData("--dependency=afterok:1", "depends on the array")]
    [InlineData("partition", "not an sbatch option")]
    public void Options_dabo_sets_itself_are_refused_in_slurm_args(string extra, string hint)
    {
        var e = Assert.Throws<DaboException>(() => Options(extra: extra));
        Assert.StartsWith("--slurm-args: ", e.Message);
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public void Sbatch_answers_give_job_ids()
    {
        Assert.Equal("1234", SlurmScript.ParseJobId("1234\n"));
        Assert.Equal("1234", SlurmScript.ParseJobId("1234;cluster\n"));
        Assert.Null(SlurmScript.ParseJobId("sbatch: error: invalid partition\n"));
        Assert.Null(SlurmScript.ParseJobId(""));
    }

    [Fact]
    public void The_tasks_command_line_drops_the_slurm_flags()
    {
        Assert.Equal(["compare", "--methods", "none", "--out", "o", "--jobs", "1", "--threads", "3"],
            SlurmLauncher.ResultsArguments(["compare", "--methods", "none", "--slurm", "-j", "2", "--slurm-tasks", "5", "--slurm-args=--partition=x", "--slurm-cpus", "3", "--dry-run", "--out", "o", "--threads", "4"], 3));
        Assert.Equal(["compare", "--slurm-args=--partition=gpu --time=1:00:00", "--out", "o"],
            SlurmLauncher.JoinArgsValue(["compare", "--slurm-args", "--partition=gpu --time=1:00:00", "--out", "o"]));
    }

    [Fact]
    public void Dry_run_prints_both_scripts_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = CliRunner.Run("compare", "--methods", "none,trivialaugment", "--seeds", "2", "--out", dir.Combine("cmp"),
            "--slurm", "--dry-run", "--slurm-args", "--partition=gpu --time=2:00:00", "--device", "cuda");

        Assert.True(code == 0, err);
        Assert.Contains("#SBATCH --array=0-3\n", output); // one task per run
        Assert.Contains("#SBATCH --partition=gpu\n", output);
        Assert.Contains("#SBATCH --gres=gpu:1\n", output);
        Assert.Contains($"#SBATCH --dependency=afterany:{SlurmScript.ArrayJobIdPlaceholder}\n", output);
        Assert.Contains("--device cuda --jobs 1 --threads 2 --worker\n", output);
        Assert.Contains("nothing written or submitted", output);
        Assert.False(Directory.Exists(dir.Combine("cmp")));
    }

    [Fact]
    public void Without_slurm_installed_it_says_so_in_one_line()
    {
        using var dir = new TempDirectory();
        var (code, output, err) = new FakeSbatch(installed: false).Around(() =>
            CliRunner.Run("compare", "--methods", "none", "--out", dir.Combine("cmp"), "--slurm"));

        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("", output);
        Assert.Equal("dabo: error: --slurm: Slurm is not installed here (no sbatch on PATH); run the command on the cluster's login node, or add --dry-run to see the job scripts",
            err.TrimEnd('\n'));
        Assert.False(Directory.Exists(dir.Combine("cmp", "slurm")));
    }

    [Fact]
    public void Submission_sends_the_array_then_the_results_job_and_says_how_to_follow_them()
    {
        using var dir = new TempDirectory();
        var sbatch = new FakeSbatch(installed: true, "4242\n", "4243;cluster\n");
        var (code, output, err) = sbatch.Around(() =>
            CliRunner.Run("grid-search", "--grid", "0,0.5,1", "--out", dir.Combine("grid"), "--slurm", "--slurm-tasks", "2", "--slurm-cpus", "1"));

        Assert.True(code == 0, err);
        string slurm = dir.Combine("grid", "slurm");
        Assert.Equal([["--parsable", Path.Combine(slurm, "array.sbatch")], ["--parsable", Path.Combine(slurm, "results.sbatch")]], sbatch.Calls);
        Assert.Contains("#SBATCH --array=0-1\n", File.ReadAllText(Path.Combine(slurm, "array.sbatch")));
        Assert.Contains("grid-search --grid 0,0.5,1 --out", File.ReadAllText(Path.Combine(slurm, "array.sbatch")));
        Assert.Contains("#SBATCH --dependency=afterany:4242\n", File.ReadAllText(Path.Combine(slurm, "results.sbatch")));
        Assert.Contains("submitted job array 4242 (2 task(s) of 1 CPU(s)) and results job 4243", output);
        Assert.Contains("squeue -j 4242,4243", output);
        Assert.Contains(Path.Combine(slurm, "task-4242_*.log"), output);
    }

    [Fact]
    public void A_refused_submission_is_one_line_naming_slurm()
    {
        using var dir = new TempDirectory();
        var sbatch = new FakeSbatch(installed: true) { Error = "sbatch: error: invalid partition specified: gpu" };
        var (code, _, err) = sbatch.Around(() =>
            CliRunner.Run("bench", "accuracy", "--protocols", "fashion-mnist", "--out", dir.Combine("bench"), "--slurm", "--slurm-args", "--partition=gpu"));

        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("dabo: error: --slurm: sbatch refused the job array (exit code 1: sbatch: error: invalid partition specified: gpu)", err.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void A_failed_submission_removes_what_it_created(bool outExists, bool slurmExists)
    {
        using var dir = new TempDirectory();
        string output = dir.Combine("cmp");
        if (outExists)
        {
            Directory.CreateDirectory(output);
            File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        }
        if (slurmExists)
        {
            Directory.CreateDirectory(Path.Combine(output, "slurm"));
            File.WriteAllText(Path.Combine(output, "slurm", "task-1_0.log"), "an earlier submission's log");
        }
        var before = outExists ? Directory.GetFileSystemEntries(output, "*", SearchOption.AllDirectories).Order().ToList() : [];
        var sbatch = new FakeSbatch(installed: true) { Error = "sbatch: error: Batch job submission failed: Invalid account" };

        var (code, _, err) = sbatch.Around(() => CliRunner.Run("compare", "--methods", "none", "--out", output, "--slurm"));

        Assert.Equal(CliApp.UsageError, code);
        Assert.Equal("dabo: error: --slurm: sbatch refused the job array (exit code 1: sbatch: error: Batch job submission failed: Invalid account)", err.TrimEnd('\n'));
        Assert.Single(sbatch.Calls);
        Assert.Equal(outExists, Directory.Exists(output));
        Assert.Equal(before, outExists ? Directory.GetFileSystemEntries(output, "*", SearchOption.AllDirectories).Order().ToList() : []);
    }

    [Theory]
    [InlineData("--dry-run", "--dry-run: only with --slurm")]
    [InlineData("--slurm-tasks 3", "--slurm-tasks: only with --slurm")]
    [InlineData("--slurm --worker", "--worker: not with --slurm")]
    [InlineData("--slurm --jobs 2", "--jobs 2: not with --slurm")]
    [InlineData("--slurm --slurm-tasks 0", "--slurm-tasks 0")]
    public void Flags_that_do_not_go_together_are_refused(string flags, string message)
    {
        using var dir = new TempDirectory();
        var (code, _, err) = CliRunner.Run(["compare", "--methods", "none", "--out", dir.Combine("cmp"), .. flags.Split(' ')]);

        Assert.Equal(CliApp.UsageError, code);
        Assert.StartsWith("dabo: error: " + message, err);
    }

    [Fact]
    public void Locks_work_on_the_test_file_system()
    {
        using var dir = new TempDirectory();
        Assert.True(RunClaim.LocksWork(dir.Path));
    }

    [Fact]
    public void A_worker_trains_what_is_free_and_leaves_without_waiting_for_held_runs()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var config = new TrainingConfig { Dataset = dir.Combine("data"), TrainSize = 200, Epochs = 1, BatchSize = 16 };
        var held = new RunJob(config with { Augment = "none" }, dir.Combine("runs", "none"));
        var free = new RunJob(config with { Augment = "flip" }, dir.Combine("runs", "flip"));
        using (var claim = RunClaim.TryAcquire(held.Directory))
        {
            var outcome = new RunQueue().RunAvailable([held, free], null);

            Assert.Equal(new WorkerOutcome(1, 0, 1), outcome);
            Assert.True(free.IsFinished);
            Assert.False(held.IsFinished);
        }
        // The holder is gone (killed): the next worker takes its run; a finished run is never trained again.
        Assert.Equal(new WorkerOutcome(1, 0, 0), new RunQueue().RunAvailable([held, free], null));
        Assert.Equal(new WorkerOutcome(0, 0, 0), new RunQueue().RunAvailable([held, free], null));
    }

    [Fact]
    public void A_comparison_worker_then_the_results_command()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        string[] args = ["compare", "--dataset", dir.Combine("data"), "--train-size", "200", "--epochs", "1", "--batch-size", "16", "--methods", "none,flip", "--out", dir.Combine("cmp")];

        var (code, output, err) = CliRunner.Run([.. args, "--worker"]);
        Assert.True(code == 0, err);
        Assert.Contains("worker: trained 2 run(s) (0 resumed from a checkpoint); 0 run(s) held by other processes", output);
        Assert.False(File.Exists(dir.Combine("cmp", "results.md"))); // a worker writes no results

        (code, output, err) = CliRunner.Run(args);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("== ", output); // nothing left to train
        Assert.Contains("dabo compare --dataset " + dir.Combine("data") + " --train-size 200", File.ReadAllText(dir.Combine("cmp", "results.md"))); // the command as typed
    }
}
