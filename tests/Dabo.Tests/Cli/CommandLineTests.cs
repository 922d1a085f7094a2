using Dabo.Cli;

namespace Dabo.Tests.Cli;

/// <summary>The command line that reports quote: the command's arguments, or the command alone.</summary>
public class CommandLineTests
{
    public static TheoryData<string[], string, string> Cases() => new()
    {
        { ["compare", "--methods", "none", "--out", "runs/a b"], "compare", "dabo compare --methods none --out 'runs/a b'" },
        { ["bench", "accuracy", "--quick"], "accuracy", "dabo bench accuracy --quick" },
        { ["compare", "--out", ""], "compare", "dabo compare --out ''" },
        { [], "suite", "dabo suite" },
        { ["train", "--out", "x"], "grid-search", "dabo grid-search" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quotes_the_arguments_or_falls_back_to_the_command(string[] arguments, string command, string expected) =>
        Assert.Equal(expected, CommandLine.Current(arguments, command));
}
