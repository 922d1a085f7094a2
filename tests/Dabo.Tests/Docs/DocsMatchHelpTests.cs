using System.Text.RegularExpressions;
using Dabo.Tests.Cli;

namespace Dabo.Tests.Docs;

/// <summary>
/// Every <c>./dabo COMMAND …</c> written in README.md and docs/*.md names a command that exists, with flags its
/// <c>--help</c> lists; every other <c>`--flag`</c> of the prose is a flag of some command (or of a tool named in
/// <see cref="OtherTools"/>). The help is read in-process, once per command.
/// </summary>
[Collection("global-rng")]
public partial class DocsMatchHelpTests
{
    // Flags of sbatch (and "--key", the docs' placeholder for any sbatch option), dotnet, scripts/ and other tools the documentation quotes.
    private static readonly HashSet<string> OtherTools = new(StringComparer.Ordinal)
    {
        "--partition", "--time", "--mem", "--gres", "--requeue", "--array", "--cpus-per-task", "--parsable", "--dependency",
        "--chdir", "--key", "--nodes", "--peer-malloc", "--torch113",
        "--project", "--verify-no-changes", "--no-restore", "--include", "--filter", "--no-build", "--nologo", "--version",
        "--source", "--add-source", "--global", "--tool-path", "--configuration", "--output", "--headless", "--screenshot",
        "--window-size", "--no-sandbox", "--disable-gpu", "--signal", "--kill-after", "--export", "--wrap", "--job-name",
    };

    [GeneratedRegex(@"\./dabo((?:\s+[a-z][a-z-]*)+)?([^`|#\n]*)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"`(--[a-z][a-z0-9-]*)")]
    private static partial Regex ProseFlag();

    [GeneratedRegex(@"(?<![\w-])(--[a-z][a-z0-9-]*)")]
    private static partial Regex Flag();

    private static readonly Dictionary<string, string> HelpCache = new(StringComparer.Ordinal);

    private static string Help(string command)
    {
        lock (HelpCache)
        {
            if (!HelpCache.TryGetValue(command, out var help))
            {
                string[] args = command.Length == 0 ? ["--help"] : [.. command.Split(' '), "--help"];
                var (code, output, _) = CliRunner.Run(args);
                help = code == 0 ? output : "";
                HelpCache[command] = help;
            }
            return help;
        }
    }

    private static List<string> Commands()
    {
        var names = new List<string>();
        foreach (string top in CommandNames(Help("")))
        {
            var sub = CommandNames(Help(top));
            names.AddRange(sub.Count > 0 ? sub.Select(s => $"{top} {s}") : [top]);
        }
        return names;
    }

    // The names listed under "COMMANDS:" of a help text.
    private static List<string> CommandNames(string help) =>
        [.. help.Split('\n').SkipWhile(l => !l.StartsWith("COMMANDS:", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.StartsWith("    ", StringComparison.Ordinal) && !l.StartsWith("     ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0])
            .Where(n => n.Length > 0)];

    public static TheoryData<string> Documents() => DocumentationTests.Documents();

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_command_and_flag_the_document_names_exists_in_the_help(string document)
    {
        string text = File.ReadAllText(RepositoryFiles.Path(document));
        var commands = Commands();
        string allHelp = string.Join('\n', commands.Select(Help));
        var problems = new List<string>();
        foreach (Match m in Invocation().Matches(text))
        {
            var words = m.Groups[1].Value.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue; // "./dabo" alone, or followed by a flag (./dabo --help)
            }
            string command = words.Length > 1 && commands.Contains($"{words[0]} {words[1]}") ? $"{words[0]} {words[1]}" : words[0];
            if (!commands.Contains(command))
            {
                if (commands.Any(c => c.StartsWith(command + " ", StringComparison.Ordinal)) && words.Length == 1)
                {
                    continue; // "./dabo bench" alone
                }
                problems.Add($"./dabo {command}: no such command");
                continue;
            }
            string help = Help(command);
            string rest = string.Join(' ', words.Skip(command.Split(' ').Length)) + m.Groups[2].Value;
            foreach (Match flag in Flag().Matches(rest))
            {
                if (!Regex.IsMatch(help, $@"(?<![\w-]){Regex.Escape(flag.Groups[1].Value)}(?![\w-])"))
                {
                    problems.Add($"./dabo {command} {flag.Groups[1].Value}: not in '{command} --help'");
                }
            }
        }
        foreach (Match m in ProseFlag().Matches(text))
        {
            string flag = m.Groups[1].Value;
            if (!OtherTools.Contains(flag) && !Regex.IsMatch(allHelp, $@"(?<![\w-]){Regex.Escape(flag)}(?![\w-])"))
            {
                problems.Add($"`{flag}`: no command has it");
            }
        }
        Assert.True(problems.Count == 0, $"{document}: {string.Join("; ", problems.Distinct())}");
    }

    [Fact]
    public void The_parser_finds_commands_flags_and_bad_names()
    {
        Assert.Contains("bench speed", Commands());
        Assert.Contains("predict", Commands());
        var m = Invocation().Match("run `./dabo bench speed --model small-cnn --steps 20` now");
        Assert.Equal(" bench speed", m.Groups[1].Value);
        Assert.Equal(["--model", "--steps"], Flag().Matches(m.Groups[2].Value).Select(f => f.Groups[1].Value));
        Assert.Equal(["--init"], ProseFlag().Matches("with `--init FILE` and --x").Select(f => f.Groups[1].Value));
    }
}
