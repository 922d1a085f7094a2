using System.Globalization;
using System.Text;

namespace Dabo.Cli.Slurm;

/// <summary>The sbatch scripts of <c>--slurm</c> (pure functions of <see cref="SlurmOptions"/>) and sbatch's answers.</summary>
public static class SlurmScript
{
    /// <summary>What the results script's dependency names before the array's job id is known (<c>--dry-run</c>).</summary>
    public const string ArrayJobIdPlaceholder = "ARRAY_JOB_ID";

    /// <summary>The job array: every task runs the worker, which claims runs until none is left to claim.</summary>
    public static string Array(SlurmOptions options)
    {
        var sb = Header(
            "One task of a job array written by dabo --slurm. Every task runs the same worker on the same output",
            "directory: it claims runs one at a time (an OS file lock each, released when the process ends however it",
            "ends), trains or resumes them, and exits when no run is left to claim. A killed or preempted task's run",
            "is resumed from its checkpoint by the next task (or the results job) that reaches it.");
        Directive(sb, "--job-name=" + options.JobName);
        Directive(sb, $"--array=0-{options.Tasks - 1}");
        Directive(sb, "--output=" + SbatchQuote(Path.Combine(options.LogDirectory, "task-%A_%a.log")));
        Resources(sb, options);
        if (options.Requeue)
        {
            Directive(sb, "--requeue");
        }
        Body(sb, "echo \"dabo: task ${SLURM_ARRAY_TASK_ID:-?} of job array ${SLURM_ARRAY_JOB_ID:-?} on $(hostname)\"", options.WorkerCommand);
        return sb.ToString();
    }

    /// <summary>
    /// The results job: after every task of the array has ended (<c>afterany</c>: also when tasks failed
    /// or were cancelled), the same command without <c>--worker</c> trains or resumes any run left
    /// unfinished and writes the results.
    /// </summary>
    /// <param name="options">The submission.</param>
    /// <param name="arrayJobId">The array's job id (<see cref="ArrayJobIdPlaceholder"/> in a dry run).</param>
    public static string Results(SlurmOptions options, string arrayJobId)
    {
        var sb = Header(
            "The results job written by dabo --slurm: it starts when every task of the array has ended, trains or",
            "resumes any run the tasks left unfinished (its log names them, with 'resuming'), then writes the results.");
        Directive(sb, $"--job-name={options.JobName}-results");
        Directive(sb, "--dependency=afterany:" + arrayJobId);
        Directive(sb, "--output=" + SbatchQuote(Path.Combine(options.LogDirectory, "results-%j.log")));
        Resources(sb, options);
        Body(sb, $"echo \"dabo: results job ${{SLURM_JOB_ID:-?}} on $(hostname), after job array {arrayJobId}\"", options.ResultsCommand);
        return sb.ToString();
    }

    /// <summary>
    /// Splits <c>--slurm-args</c> into sbatch options, shell-like (quotes group, a backslash escapes, no expansion); a value
    /// given as a separate word (<c>--time 2:00:00</c>) joins its option (<c>--time=2:00:00</c>).
    /// </summary>
    public static IReadOnlyList<string> SplitArguments(string? text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }
        SlurmOptions.RefuseControlCharacters("--slurm-args", text);
        var word = new StringBuilder();
        bool inWord = false, escaped = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (escaped)
            {
                word.Append(c);
                escaped = false;
            }
            else if (c == '\\' && i + 1 < text.Length && (quote == '\0' || (quote == '"' && text[i + 1] is '"' or '\\' or '$' or '`')))
            {
                escaped = true; // as in the shell: outside quotes any character, inside double quotes " \ $ `
                inWord = true;
            }
            else if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
        {
            throw new DaboException($"--slurm-args {text}: unmatched {quote}");
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        var options = new List<string>();
        bool valueTaken = true;
        foreach (string w in words)
        {
            if (!w.StartsWith('-') && options.Count > 0 && !valueTaken)
            {
                options[^1] += "=" + w; // the value of the option before, given as a separate word
                valueTaken = true;
            }
            else
            {
                options.Add(w);
                valueTaken = w.Contains('=');
            }
        }
        return options;
    }

    /// <summary>The job id in <c>sbatch --parsable</c>'s answer (<c>ID</c> or <c>ID;CLUSTER</c>), or null.</summary>
    public static string? ParseJobId(string output)
    {
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        string id = line.Split(';')[0].Trim();
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : null;
    }

    /// <summary>A word as bash reads it back: as it is when safe, else single-quoted (a quote inside as <c>'\''</c>).</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(IsPlain)
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A value as sbatch reads it back from an <c>#SBATCH</c> line: as it is when safe, else double-quoted with a
    /// backslash before <c>\</c> and <c>"</c>. sbatch splits at white space even after a backslash, strips quotes,
    /// takes the character after a backslash as it is (inside quotes too, so bash's quoting does not fit) and
    /// starts a comment at an unquoted <c>#</c>.
    /// </summary>
    public static string SbatchQuote(string value) =>
        value.Length > 0 && value.All(IsPlain)
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c);

    private static StringBuilder Header(params string[] comment)
    {
        var sb = new StringBuilder("#!/bin/bash\n");
        foreach (string line in comment)
        {
            sb.Append("# ").Append(line).Append('\n');
        }
        return sb;
    }

    private static void Resources(StringBuilder sb, SlurmOptions options)
    {
        Directive(sb, "--chdir=" + SbatchQuote(options.WorkingDirectory));
        Directive(sb, "--ntasks=1");
        Directive(sb, "--cpus-per-task=" + options.CpusPerTask.ToString(CultureInfo.InvariantCulture));
        if (options.Gpu && !options.ExtraArgumentsAskForGpus)
        {
            Directive(sb, "--gres=gpu:1");
        }
        foreach (string extra in options.ExtraArguments)
        {
            // Validated as --key or --key=value: the key is plain, the value is quoted for sbatch.
            var parts = extra.Split('=', 2);
            Directive(sb, parts.Length == 1 ? parts[0] : parts[0] + "=" + SbatchQuote(parts[1]));
        }
    }

    private static void Body(StringBuilder sb, string echo, IReadOnlyList<string> command)
    {
        sb.Append("set -euo pipefail\n");
        sb.Append("# libtorch's OpenMP threads would spin while they wait (see ./dabo).\n");
        sb.Append("export OMP_WAIT_POLICY=\"${OMP_WAIT_POLICY:-PASSIVE}\"\n");
        sb.Append("# Decoded images are cached on the node, not on the shared file system (--cache-dir or DABO_CACHE_DIR overrides).\n");
        sb.Append("export DABO_CACHE_DIR=\"${DABO_CACHE_DIR:-${TMPDIR:-/tmp}/dabo-cache-$(id -u)}\"\n");
        sb.Append(echo).Append('\n');
        sb.Append("exec ").Append(string.Join(' ', command.Select(Quote))).Append('\n');
    }

    private static void Directive(StringBuilder sb, string option) => sb.Append("#SBATCH ").Append(option).Append('\n');
}
