namespace Dabo.Cli;

/// <summary>The command line as the user typed it, for reports.</summary>
public static class CommandLine
{
    /// <summary>
    /// The command's <paramref name="arguments"/> (Spectre's <c>CommandContext.Arguments</c>), quoted where
    /// needed, prefixed with <c>dabo</c>; just <paramref name="fallbackCommand"/> when they do not name it.
    /// </summary>
    public static string Current(IReadOnlyList<string> arguments, string fallbackCommand)
    {
        var args = arguments;
        if (args.Count == 0 || !args.Contains(fallbackCommand))
        {
            args = [fallbackCommand];
        }
        return "dabo " + string.Join(' ', args.Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a));
    }
}
