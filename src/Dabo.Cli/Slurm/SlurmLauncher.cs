using System.Globalization;
using Dabo.Experiments;
using Dabo.IO;
using Dabo.Training.Runs;

namespace Dabo.Cli.Slurm;

/// <summary>The flags of <c>--slurm</c> and <c>--worker</c>, shared by compare, grid-search and bench accuracy.</summary>
public interface IClusterSettings
{
    /// <summary><c>--slurm</c>.</summary>
    bool Slurm { get; }

    /// <summary><c>--slurm-tasks</c>.</summary>
    int? SlurmTasks { get; }

    /// <summary><c>--slurm-cpus</c>.</summary>
    int? SlurmCpus { get; }

    /// <summary><c>--slurm-args</c>.</summary>
    string? SlurmArgs { get; }

    /// <summary><c>--dry-run</c>.</summary>
    bool DryRun { get; }

    /// <summary><c>--worker</c>.</summary>
    bool Worker { get; }

    /// <summary><c>--jobs</c>.</summary>
    int? Jobs { get; }

    /// <summary><c>--threads</c>.</summary>
    int? Threads { get; }
}

/// <summary>
/// <c>--slurm</c>: writes the sbatch scripts of a job array whose tasks run this command as a
/// <c>--worker</c> on the same output directory, and of a results job that runs after them; submits
/// both (or, with <c>--dry-run</c>, prints them); <c>--worker</c>: one task's share of the runs.
/// </summary>
public static class SlurmLauncher
{
    /// <summary>Help text of <c>--slurm</c>.</summary>
    public const string SlurmDescription = "Run on a Slurm cluster instead: submit a job array whose tasks share the runs (claimed with file locks on a shared file system, so OUT must be on one) and a results job that runs after them (afterany) and writes the results; prints the job ids. See docs/scale-out.md.";

    /// <summary>Help text of <c>--slurm-tasks</c>.</summary>
    public const string TasksDescription = "With --slurm: tasks of the job array (default: one per unfinished run).";

    /// <summary>Help text of <c>--slurm-cpus</c>.</summary>
    public const string CpusDescription = "With --slurm: CPUs per task, also each task's threads unless --threads (default --threads, else 2).";

    /// <summary>Help text of <c>--slurm-args</c>.</summary>
    public const string ArgsDescription = "With --slurm: sbatch options for both jobs, e.g. \"--partition=gpu --time=2:00:00 --mem=8G\" (with --device cuda each task also gets --gres=gpu:1 unless these ask for GPUs).";

    /// <summary>Help text of <c>--dry-run</c>.</summary>
    public const string DryRunDescription = "With --slurm: print the sbatch scripts and submit nothing.";

    /// <summary>Help text of <c>--worker</c>.</summary>
    public const string WorkerDescription = "Train the runs no other process holds, then exit without waiting or writing results (what each --slurm task runs; start it on several machines sharing OUT, then run the command without --worker for the results).";

    /// <summary>Finds and runs sbatch; tests replace it.</summary>
    public static IProcessRunner Runner { get; set; } = new SystemProcessRunner();

    /// <summary>
    /// <c>--slurm-args "--partition=gpu"</c> as <c>--slurm-args=--partition=gpu</c>: the command-line parser would
    /// take a value that starts with <c>-</c> for the next option.
    /// </summary>
    public static string[] JoinArgsValue(string[] args)
    {
        int i = Array.IndexOf(args, "--slurm-args");
        if (i < 0 || i == args.Length - 1)
        {
            return args;
        }
        return [.. args[..i], "--slurm-args=" + args[i + 1], .. args[(i + 2)..]];
    }

    /// <summary>Whether a <c>--device</c> is a GPU (<c>cuda</c>, <c>cuda:N</c>): then each task asks for one.</summary>
    public static bool IsCuda(string device) => device == "cuda" || device.StartsWith("cuda:", StringComparison.Ordinal);

    /// <summary>Refuses flag combinations that make no sense, naming the flag.</summary>
    public static void Check(IClusterSettings s)
    {
        if (!s.Slurm)
        {
            if (s.DryRun)
            {
                throw new DaboException("--dry-run: only with --slurm (it prints the job scripts instead of submitting them)");
            }
            string? stray = s.SlurmTasks is not null ? "--slurm-tasks" : s.SlurmCpus is not null ? "--slurm-cpus" : s.SlurmArgs is not null ? "--slurm-args" : null;
            if (stray is not null)
            {
                throw new DaboException($"{stray}: only with --slurm");
            }
        }
        else if (s.Worker)
        {
            throw new DaboException("--worker: not with --slurm (the array's tasks are the workers)");
        }
        if ((s.Slurm || s.Worker) && s.Jobs is > 1)
        {
            throw new DaboException($"--jobs {s.Jobs}: not with {(s.Slurm ? "--slurm; the array's tasks are the jobs (--slurm-tasks)" : "--worker; start one worker per process")}");
        }
    }

    /// <summary>
    /// Submits (or prints) the job array and the results job of the command's <paramref name="arguments"/>
    /// and tells the user how to follow them.
    /// <paramref name="command"/> names the command (<c>compare</c>), <paramref name="output"/> is <c>--out</c>,
    /// <paramref name="unfinishedRuns"/> sets the default array size, <paramref name="results"/> names the
    /// file the results job writes.
    /// </summary>
    public static int Submit(IReadOnlyList<string> arguments, IClusterSettings s, string command, string output, int unfinishedRuns, bool gpu, string results)
    {
        var options = Options(s, command, output, unfinishedRuns, gpu, arguments);
        if (s.DryRun)
        {
            Console.Write(DryRun(options));
            return 0;
        }
        var submission = SubmitJobs(options, Runner);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submitted job array {submission.ArrayJobId} ({options.Tasks} task(s) of {options.CpusPerTask} CPU(s){(options.Gpu ? " and a GPU" : "")}) and results job {submission.ResultsJobId} (starts when the array has ended)"));
        Console.WriteLine($"follow: squeue -j {submission.ArrayJobId},{submission.ResultsJobId}");
        Console.WriteLine($"logs: {Path.Combine(options.LogDirectory, $"task-{submission.ArrayJobId}_*.log")} and {Path.Combine(options.LogDirectory, $"results-{submission.ResultsJobId}.log")}");
        Console.WriteLine($"results: {Path.Combine(output, results)} when job {submission.ResultsJobId} has ended; cancel all: scancel {submission.ArrayJobId} {submission.ResultsJobId}");
        return 0;
    }

    /// <summary>The submission's options from the flags and the command line (<paramref name="arguments"/>).</summary>
    public static SlurmOptions Options(IClusterSettings s, string command, string output, int unfinishedRuns, bool gpu, IReadOnlyList<string> arguments)
    {
        int cpus = s.SlurmCpus ?? s.Threads ?? 2;
        int threads = s.Threads ?? cpus;
        var results = ResultsArguments(arguments, threads);
        var host = WorkerProcesses.HostCommand();
        string outDirectory = Path.GetFullPath(output);
        return new SlurmOptions
        {
            JobName = "dabo-" + command.Replace(' ', '-'),
            Tasks = s.SlurmTasks ?? Math.Max(1, unfinishedRuns),
            CpusPerTask = cpus,
            Gpu = gpu,
            ExtraArguments = SlurmScript.SplitArguments(s.SlurmArgs),
            WorkingDirectory = Environment.CurrentDirectory,
            LogDirectory = Path.Combine(outDirectory, "slurm"),
            WorkerCommand = [.. host, .. results, "--worker"],
            ResultsCommand = [.. host, .. results],
        }.Validated();
    }

    /// <summary>The command line of the tasks and the results job: the user's, without the Slurm flags, with one job of <paramref name="threads"/> threads.</summary>
    public static List<string> ResultsArguments(IReadOnlyList<string> arguments, int threads)
    {
        var result = WorkerProcesses.Without(arguments, ["--jobs", "-j", "--threads", "--slurm-tasks", "--slurm-cpus", "--slurm-args"], ["--slurm", "--dry-run", "--worker"]);
        result.AddRange(["--jobs", "1", "--threads", threads.ToString(CultureInfo.InvariantCulture)]);
        return result;
    }

    /// <summary>What <c>--dry-run</c> prints: both scripts and the sbatch calls that would submit them.</summary>
    public static string DryRun(SlurmOptions options) =>
        $"# {options.ArrayScriptPath}\n{SlurmScript.Array(options)}\n" +
        $"# {options.ResultsScriptPath} ({SlurmScript.ArrayJobIdPlaceholder}: the id sbatch gives the array)\n{SlurmScript.Results(options, SlurmScript.ArrayJobIdPlaceholder)}\n" +
        $"# dry run: nothing written or submitted; without --dry-run dabo runs\n#   sbatch --parsable {SlurmScript.Quote(options.ArrayScriptPath)}\n#   sbatch --parsable {SlurmScript.Quote(options.ResultsScriptPath)}\n";

    /// <summary>The job ids of a submission.</summary>
    /// <param name="ArrayJobId">The job array.</param>
    /// <param name="ResultsJobId">The results job.</param>
    public sealed record Submission(string ArrayJobId, string ResultsJobId);

    /// <summary>
    /// Checks that Slurm is there and that the output directory's file system enforces locks, writes
    /// the scripts to <c>OUT/slurm</c> and submits the array, then the results job depending on it.
    /// </summary>
    public static Submission SubmitJobs(SlurmOptions options, IProcessRunner runner)
    {
        string sbatch = runner.Find("sbatch")
            ?? throw new DaboException("--slurm: Slurm is not installed here (no sbatch on PATH); run the command on the cluster's login node, or add --dry-run to see the job scripts");
        string output = Path.GetDirectoryName(options.LogDirectory)!;
        // What this submission creates, removed again when the array is not submitted: the corrected command
        // then finds the output as it was.
        string? createdOutput = OutputPaths.FirstMissing(output);
        string? createdLogs = OutputPaths.FirstMissing(options.LogDirectory);
        bool probeExisted = File.Exists(RunClaim.LockProbeFile(output));
        string arrayId;
        try
        {
            CheckLocks(output, "--slurm");
            OutputPaths.CreateDirectory("--out", options.LogDirectory);
            AtomicFile.WriteAllText(options.ArrayScriptPath, SlurmScript.Array(options));
            arrayId = Sbatch(runner, sbatch, options.ArrayScriptPath, "the job array");
        }
        catch (Exception e) when (e is DaboException or IOException or UnauthorizedAccessException)
        {
            RemoveCreated(createdOutput, createdLogs, options.ArrayScriptPath, probeExisted ? null : RunClaim.LockProbeFile(output));
            throw;
        }
        try
        {
            AtomicFile.WriteAllText(options.ResultsScriptPath, SlurmScript.Results(options, arrayId));
            return new Submission(arrayId, Sbatch(runner, sbatch, options.ResultsScriptPath, "the results job"));
        }
        catch (DaboException e)
        {
            throw new DaboException($"{e.Message}; job array {arrayId} was submitted: when it has ended, run the same command without --slurm to write the results", e);
        }
    }

    // Removes what a submission that failed before the array was submitted created: the output directory,
    // or in an output that existed its slurm/ folder (else the script) and the lock probe.
    private static void RemoveCreated(string? createdOutput, string? createdLogs, string arrayScript, string? createdProbe)
    {
        if (createdOutput is not null)
        {
            OutputPaths.RemoveCreated(createdOutput);
            return;
        }
        if (createdLogs is not null)
        {
            OutputPaths.RemoveCreated(createdLogs);
        }
        else
        {
            DeleteFile(arrayScript);
        }
        if (createdProbe is not null)
        {
            DeleteFile(createdProbe);
        }
    }

    private static void DeleteFile(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error about the submission matters more.
        }
    }

    /// <summary>Refuses an output directory whose file system does not enforce the locks that claim runs.</summary>
    public static void CheckLocks(string output, string flag)
    {
        if (!RunClaim.LocksWork(output))
        {
            throw new DaboException($"{flag}: the file system of {output} does not enforce file locks, so several tasks would train the same run; put --out on a file system with working locks (NFSv4, Lustre mounted with flock, GPFS, BeeGFS): see docs/scale-out.md");
        }
    }

    /// <summary>What a worker prints when it has nothing left to claim.</summary>
    public static string WorkerSummary(WorkerOutcome outcome) =>
        string.Create(CultureInfo.InvariantCulture,
            $"worker: trained {outcome.Trained} run(s) ({outcome.Resumed} resumed from a checkpoint); {outcome.HeldByOthers} run(s) held by other processes; no run left to claim. The results are written by the command without --worker (the results job of --slurm).");

    private static string Sbatch(IProcessRunner runner, string sbatch, string script, string what)
    {
        var (code, output, error) = runner.Run(sbatch, ["--parsable", script]);
        string? id = code == 0 ? SlurmScript.ParseJobId(output) : null;
        if (id is null)
        {
            string said = (error.Trim().Length > 0 ? error : output).Trim().Split('\n')[0];
            throw new DaboException($"--slurm: sbatch refused {what} ({(code == 0 ? "no job id in its answer" : $"exit code {code}")}: {said})");
        }
        return id;
    }
}
