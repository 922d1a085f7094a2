namespace Dabo.Cli;

/// <summary>The command line as the user typed it, for reports.</summary>
public static class CommandLine
{
    /// <summary>The current process's arguments, quoted where needed, prefixed with <c>dabo</c>.</summary>
    public static string Current(string fallbackCommand)
    {
        var args = CliApp.Arguments;
        if (args.Count == 0 || !args.Contains(fallbackCommand))
        {
            args = [fallbackCommand];
        }
        return "dabo " + string.Join(' ', args.Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a));
    }
}
