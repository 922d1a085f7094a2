using System.Text.RegularExpressions;

namespace Dabo.Cli.Slurm;

/// <summary>
/// What <c>--slurm</c> submits: a job array whose tasks all run the same worker command on the same
/// output directory (a shared file system), and a results job that runs after every task has ended.
/// </summary>
public sealed partial record SlurmOptions
{
    /// <summary>Job name (<c>--job-name</c>); the results job gets <c>-results</c> appended.</summary>
    public required string JobName { get; init; }

    /// <summary>Tasks of the array (<c>--array=0-(N−1)</c>).</summary>
    public required int Tasks { get; init; }

    /// <summary>CPUs per task (<c>--cpus-per-task</c>).</summary>
    public required int CpusPerTask { get; init; }

    /// <summary>Ask for one GPU per task (<c>--gres=gpu:1</c>) unless <see cref="ExtraArguments"/> asks for GPUs already.</summary>
    public bool Gpu { get; init; }

    /// <summary>Let Slurm requeue a preempted task or one whose node failed (<c>--requeue</c>).</summary>
    public bool Requeue { get; init; } = true;

    /// <summary>sbatch options passed through to both jobs (<c>--slurm-args</c>), one option (with its value) per item.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Absolute directory the jobs start in (<c>--chdir</c>): where the command was given.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Absolute directory of the scripts and the tasks' logs (<c>OUT/slurm</c>).</summary>
    public required string LogDirectory { get; init; }

    /// <summary>Each task's command: the program and its arguments (the command with <c>--worker</c>).</summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }

    /// <summary>The results job's command: the same command without <c>--worker</c>, which finishes what is left and writes the results.</summary>
    public required IReadOnlyList<string> ResultsCommand { get; init; }

    /// <summary>The array's script file.</summary>
    public string ArrayScriptPath => Path.Combine(LogDirectory, "array.sbatch");

    /// <summary>The results job's script file.</summary>
    public string ResultsScriptPath => Path.Combine(LogDirectory, "results.sbatch");

    /// <summary>sbatch options dabo sets itself, with the flag to use instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> Reserved = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--array"] = "--slurm-tasks",
        ["-a"] = "--slurm-tasks",
        ["--cpus-per-task"] = "--slurm-cpus",
        ["-c"] = "--slurm-cpus",
        ["--output"] = "--out (logs go to OUT/slurm)",
        ["-o"] = "--out (logs go to OUT/slurm)",
        ["--error"] = "--out (logs go to OUT/slurm)",
        ["-e"] = "--out (logs go to OUT/slurm)",
        ["--dependency"] = "nothing: the results job depends on the array",
        ["-d"] = "nothing: the results job depends on the array",
        ["--chdir"] = "nothing: the jobs start where the command was given",
        ["-D"] = "nothing: the jobs start where the command was given",
    };

    /// <summary>
    /// Checks the options; a problem is a one-line error naming the flag. Every value that reaches a script is
    /// checked here: a control character (a newline above all) would end a <c>#SBATCH</c> or command line
    /// early and start a line of its own, which bash runs and after which sbatch ignores every later directive.
    /// </summary>
    public SlurmOptions Validated()
    {
        if (Tasks < 1)
        {
            throw new DaboException($"--slurm-tasks {Tasks}: must be at least 1");
        }
        if (CpusPerTask < 1)
        {
            throw new DaboException($"--slurm-cpus {CpusPerTask}: must be at least 1");
        }
        RefuseControlCharacters("the job name", JobName);
        RefuseControlCharacters("the current directory (the jobs' --chdir)", WorkingDirectory);
        RefuseControlCharacters("--out", LogDirectory);
        CheckCommand(WorkerCommand);
        CheckCommand(ResultsCommand);
        foreach (string argument in ExtraArguments)
        {
            RefuseControlCharacters("--slurm-args", argument);
            string name = OptionName(argument);
            if (Reserved.TryGetValue(name, out string? instead))
            {
                throw new DaboException($"--slurm-args: '{argument}' is set by dabo; use {instead}");
            }
            if (!SbatchOption().IsMatch(argument))
            {
                throw new DaboException($"--slurm-args: '{argument}' is not an sbatch option of the form --key or --key=value; give long options such as \"--partition=gpu --time=2:00:00\"");
            }
        }
        return this;
    }

    /// <summary>
    /// Refuses a value with a control character (U+0000–U+001F, U+007F–U+009F: newline, carriage return, tab, NUL…)
    /// in one line naming <paramref name="flag"/>; such a value cannot be written into a job script line safely.
    /// </summary>
    public static void RefuseControlCharacters(string flag, string value)
    {
        int at = value.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (at < 0)
        {
            at = value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        }
        if (at >= 0)
        {
            throw new DaboException($"{flag}: the value contains a control character (U+{(int)value[at]:X4}{(value[at] == '\n' ? ", a newline" : "")}), which would break the Slurm job scripts; give it without control characters");
        }
    }

    // Each word of a command, refused with the flag it belongs to: --out, --dataset, --cache-dir, --methods…
    private static void CheckCommand(IReadOnlyList<string> command)
    {
        for (int i = 0; i < command.Count; i++)
        {
            string word = command[i];
            string flag = word.StartsWith('-') ? word.Split('=', 2)[0]
                : i > 0 && command[i - 1].Length > 1 && command[i - 1].StartsWith('-') ? command[i - 1].Split('=', 2)[0]
                : "the command line";
            RefuseControlCharacters(flag, word);
        }
    }

    // One sbatch option as one token: --key or --key=value (the key in sbatch's spelling, the value anything).
    [GeneratedRegex("^--[A-Za-z][A-Za-z0-9-]*(=.*)?$", RegexOptions.Singleline)]
    private static partial Regex SbatchOption();

    /// <summary>Whether the pass-through options already ask for GPUs (then no <c>--gres=gpu:1</c> is added).</summary>
    public bool ExtraArgumentsAskForGpus => ExtraArguments.Any(a => OptionName(a) is "--gres" or "--gpus" or "-G" or "--gpus-per-task" or "--gpus-per-node");

    /// <summary>The option name of an sbatch argument: <c>--time</c> of <c>--time=1:00:00</c> or <c>--time 1:00:00</c>, <c>-p</c> of <c>-pgpu</c>.</summary>
    public static string OptionName(string argument)
    {
        string first = argument.Split([' ', '='], 2)[0];
        return first.StartsWith("--", StringComparison.Ordinal) || first.Length <= 2 ? first : first[..2];
    }
}
