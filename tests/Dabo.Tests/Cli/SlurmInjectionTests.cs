using System.Diagnostics;
using System.Text;
using Dabo.Cli;
using Dabo.Cli.Slurm;

namespace Dabo.Tests.Cli;

/// <summary>
/// Hostile values in everything that reaches the sbatch scripts (<c>--out</c>, <c>--slurm-args</c>, <c>--dataset</c>,
/// <c>--cache-dir</c>, the working directory): each is refused in one line naming its flag, or gives scripts that
/// bash parses, whose commands are exactly the intended ones, whose <c>#SBATCH</c> lines sbatch reads back as exactly
/// the intended options (all before the first command, <c>--requeue</c> included), and which run nothing hostile.
/// </summary>
[Collection("global-rng")]
public class SlurmInjectionTests
{
    private static readonly string[] Controls = ["x\ntouch INJECTED", "x\rtouch INJECTED", "x\u0001y", "x\ty", "x\u001by", "x\u007fy", "x\u0085y"];

    /// <summary>Values that cannot be written into a script line: refused (NUL only in <see cref="ControlCharactersAndNul"/>: no command line can hold it).</summary>
    public static TheoryData<string> ControlCharacters => [.. Controls];

    /// <summary>The control characters and NUL, for the values the library takes directly.</summary>
    public static TheoryData<string> ControlCharactersAndNul => [.. Controls, "x\0y"];

    /// <summary>Values that are legal in paths and sbatch values but mean something to bash or sbatch: quoted.</summary>
    public static TheoryData<string> ShellText => new()
    {
        "$(touch INJECTED)",
        "`touch INJECTED`",
        "it's",
        "say \"hi\"",
        "'; touch INJECTED; '",
        "a;touch INJECTED",
        "a && touch INJECTED",
        "a | touch INJECTED",
        "a > INJECTED",
        "with  two spaces",
        "#not a comment",
        "back\\slash\\",
        "$HOME ${PATH} $1",
        "*?[a]",
        "ünïcødé 目录 🙂",
        "--requeue",
        "-",
    };

    private static readonly string[] FixedLines =
    [
        "set -euo pipefail",
        "export OMP_WAIT_POLICY=\"${OMP_WAIT_POLICY:-PASSIVE}\"",
        "export DABO_CACHE_DIR=\"${DABO_CACHE_DIR:-${TMPDIR:-/tmp}/dabo-cache-$(id -u)}\"",
    ];

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void A_control_character_in_out_is_refused_naming_it(string hostile) =>
        AssertRefused(dir => ["--out", dir.Combine("o" + hostile)], "--out");

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void A_control_character_in_slurm_args_is_refused_naming_it(string hostile) =>
        AssertRefused(dir => ["--out", dir.Combine("cmp"), "--slurm-args", "--comment=" + SlurmScript.Quote(hostile)], "--slurm-args");

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void A_control_character_in_dataset_or_cache_dir_is_refused_naming_it(string hostile)
    {
        AssertRefused(dir => ["--out", dir.Combine("cmp"), "--dataset", dir.Combine("d" + hostile)], "--dataset");
        AssertRefused(dir => ["--out", dir.Combine("cmp"), "--cache-dir", dir.Combine("c" + hostile)], "--cache-dir");
    }

    [Theory]
    [MemberData(nameof(ShellText))]
    public void Shell_text_in_out_is_quoted(string hostile) =>
        AssertScripts(dir => dir.Combine(hostile), _ => [], null);

    [Theory]
    [MemberData(nameof(ShellText))]
    public void Shell_text_in_a_slurm_args_value_is_quoted(string hostile) =>
        AssertScripts(dir => dir.Combine("cmp"), _ => ["--slurm-args", "--partition=gpu --comment=" + SlurmScript.Quote(hostile) + " --time 1:00:00"],
            ["--partition=gpu", "--comment=" + hostile, "--time=1:00:00"]);

    [Theory]
    [MemberData(nameof(ShellText))]
    public void Shell_text_in_dataset_and_cache_dir_is_quoted(string hostile) =>
        AssertScripts(dir => dir.Combine("cmp"), dir => ["--dataset", dir.Combine("data " + hostile), "--cache-dir", "cache " + hostile], null);

    [Theory]
    [InlineData("-p gpu")]
    [InlineData("-pgpu")]
    [InlineData("--")]
    [InlineData("--=x")]
    [InlineData("--1x=2")]
    [InlineData("--part.ition=gpu")]
    [InlineData("partition=gpu")]
    public void A_slurm_args_option_that_is_not_one_key_value_token_is_refused(string extra)
    {
        var e = Assert.Throws<DaboException>(() => Options(slurmArgs: extra));
        Assert.StartsWith("--slurm-args: ", e.Message);
        Assert.Contains("not an sbatch option of the form --key or --key=value", e.Message);
    }

    [Theory]
    [MemberData(nameof(ControlCharactersAndNul))]
    public void A_control_character_in_the_working_directory_or_a_command_word_is_refused_naming_it(string hostile)
    {
        Assert.StartsWith("the current directory (the jobs' --chdir): the value contains a control character",
            Assert.Throws<DaboException>(() => Options(workingDirectory: "/home/me/" + hostile)).Message);
        Assert.StartsWith("--methods: the value contains a control character",
            Assert.Throws<DaboException>(() => Options(command: ["compare", "--methods", "none" + hostile])).Message);
        Assert.StartsWith("--grid: the value contains a control character",
            Assert.Throws<DaboException>(() => Options(command: ["compare", "--grid=0,1" + hostile])).Message);
        Assert.StartsWith("--slurm-args: the value contains a control character",
            Assert.Throws<DaboException>(() => Options(slurmArgs: "--comment=" + hostile)).Message);
    }

    [Theory]
    [MemberData(nameof(ShellText))]
    public void Shell_text_in_the_working_directory_is_quoted_for_sbatch(string hostile)
    {
        var options = Options(workingDirectory: "/home/me/" + hostile);
        foreach (string script in new[] { SlurmScript.Array(options), SlurmScript.Results(options, "7") })
        {
            Assert.Contains("--chdir=/home/me/" + hostile, SbatchArguments(script));
        }
    }

    private static SlurmOptions Options(string? slurmArgs = null, string workingDirectory = "/home/me", IReadOnlyList<string>? command = null) => new SlurmOptions
    {
        JobName = "dabo-compare",
        Tasks = 2,
        CpusPerTask = 2,
        ExtraArguments = SlurmScript.SplitArguments(slurmArgs),
        WorkingDirectory = workingDirectory,
        LogDirectory = "/shared/cmp/slurm",
        WorkerCommand = ["/usr/bin/dotnet", "/opt/dabo/Dabo.Cli.dll", .. command ?? ["compare"], "--worker"],
        ResultsCommand = ["/usr/bin/dotnet", "/opt/dabo/Dabo.Cli.dll", .. command ?? ["compare"]],
    }.Validated();

    private static string[] Compare(string output, IEnumerable<string> more) =>
        ["compare", "--methods", "none", "--epochs", "1", "--out", output, "--slurm", "--slurm-tasks", "2", .. more];

    // The command is refused in one line naming the flag; sbatch is never called and nothing is written.
    private static void AssertRefused(Func<TempDirectory, string[]> flags, string flag)
    {
        using var dir = new TempDirectory();
        var sbatch = new FakeSbatch();
        var (code, output, err) = sbatch.Around(() => CliRunner.Run(["compare", "--methods", "none", "--epochs", "1", "--slurm", .. flags(dir)]));

        Assert.True(code == CliApp.UsageError, err);
        Assert.Equal("", output);
        Assert.StartsWith($"dabo: error: {flag}: the value contains a control character (U+", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Empty(sbatch.Calls);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    // Submits through a fake sbatch, then checks both written scripts with bash and with sbatch's own reading of #SBATCH lines.
    private static void AssertScripts(Func<TempDirectory, string> output, Func<TempDirectory, string[]> more, string[]? extraDirectives)
    {
        using var dir = new TempDirectory();
        string outDirectory = output(dir);
        string[] args = Compare(outDirectory, more(dir));
        var sbatch = new FakeSbatch();
        var (code, _, err) = sbatch.Around(() => CliRunner.Run(args));
        Assert.True(code == 0, err);

        string slurm = Path.Combine(Path.GetFullPath(outDirectory), "slurm");
        var taskCommand = (List<string>)[.. WorkerProcesses.HostCommand(), .. SlurmLauncher.ResultsArguments([.. args], 2)];
        string cwd = Environment.CurrentDirectory;
        string[] resources = ["--chdir=" + cwd, "--ntasks=1", "--cpus-per-task=2", .. extraDirectives ?? []];
        AssertScript(dir, File.ReadAllText(Path.Combine(slurm, "array.sbatch")),
            ["--job-name=dabo-compare", "--array=0-1", $"--output={slurm}/task-%A_%a.log", .. resources, "--requeue"], [.. taskCommand, "--worker"]);
        AssertScript(dir, File.ReadAllText(Path.Combine(slurm, "results.sbatch")),
            ["--job-name=dabo-compare-results", "--dependency=afterany:100", $"--output={slurm}/results-%j.log", .. resources], taskCommand);
    }

    private static void AssertScript(TempDirectory dir, string script, string[] directives, IReadOnlyList<string> command)
    {
        var lines = script.TrimEnd('\n').Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        int firstCommand = Array.FindIndex(lines, l => !l.StartsWith('#'));
        // Every line before the first command is a comment or one #SBATCH option, read back as sbatch reads it.
        Assert.All(lines[..firstCommand], l => Assert.True(l.StartsWith("# ", StringComparison.Ordinal) || l.StartsWith("#!", StringComparison.Ordinal) || SbatchArguments(l).Count == 1, l));
        Assert.Equal(directives, SbatchArguments(script));
        Assert.DoesNotContain(lines[firstCommand..], l => l.StartsWith("#SBATCH", StringComparison.Ordinal));
        // The commands are the fixed ones, one echo and one exec: no line of hostile text.
        var commands = lines[firstCommand..].Where(l => !l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        Assert.Equal(FixedLines, commands[..3]);
        Assert.StartsWith("echo \"dabo: ", commands[3]);
        Assert.StartsWith("exec ", commands[4]);
        Assert.Equal(5, commands.Count);

        var (parseCode, _, parseErr) = Bash(dir.Path, "-n", "-c", script);
        Assert.True(parseCode == 0, parseErr);
        // Run the script with exec replaced by printing its words: exactly the intended command, nothing run.
        string run = dir.Combine("run");
        Directory.CreateDirectory(run);
        var (runCode, runOut, runErr) = Bash(run, "-c", script.Replace("\nexec ", "\nprintf '%s\\0' ", StringComparison.Ordinal));
        Assert.True(runCode == 0, runErr);
        Assert.Equal(command, runOut[(runOut.IndexOf('\n') + 1)..].TrimEnd('\0').Split('\0'));
        Assert.Empty(Directory.EnumerateFileSystemEntries(run));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path, "INJECTED", SearchOption.AllDirectories));
    }

    // The options sbatch reads from the #SBATCH lines of a script (src/sbatch/opt.c: _get_argument): words split
    // at white space; a backslash takes the next character as it is; quotes group and are removed; an unescaped #
    // ends the line.
    private static List<string> SbatchArguments(string script)
    {
        var arguments = new List<string>();
        foreach (string line in script.Split('\n').Where(l => l.StartsWith("#SBATCH", StringComparison.Ordinal)))
        {
            int i = "#SBATCH".Length;
            while (i < line.Length)
            {
                while (i < line.Length && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }
                if (i == line.Length)
                {
                    break;
                }
                var word = new StringBuilder();
                char quote = '\0';
                bool escape = false, comment = false;
                for (; i < line.Length && (quote != '\0' || !char.IsWhiteSpace(line[i])); i++)
                {
                    char c = line[i];
                    if (escape)
                    {
                        escape = false;
                    }
                    else if (c == '\\')
                    {
                        escape = true;
                        continue;
                    }
                    else if (quote != '\0')
                    {
                        if (c == quote)
                        {
                            quote = '\0';
                            continue;
                        }
                    }
                    else if (c is '"' or '\'')
                    {
                        quote = c;
                        continue;
                    }
                    else if (c == '#')
                    {
                        comment = true;
                        break;
                    }
                    word.Append(c);
                }
                Assert.Equal('\0', quote); // sbatch refuses an unmatched quote
                if (word.Length > 0)
                {
                    arguments.Add(word.ToString());
                }
                if (comment)
                {
                    break;
                }
            }
        }
        return arguments;
    }

    private static (int Code, string Out, string Err) Bash(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, err.Result);
    }
}
