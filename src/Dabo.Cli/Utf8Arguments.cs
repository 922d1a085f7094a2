namespace Dabo.Cli;

/// <summary>
/// Refuses arguments that were not valid UTF-8. .NET on Linux decodes such bytes to U+FFFD, so the
/// path the program would open is not the one on disk: a dataset "not found", or a run written to a
/// differently named directory. One line naming the flag says to rename it instead.
/// </summary>
public static class Utf8Arguments
{
    /// <summary>The character .NET substitutes for bytes that are not UTF-8.</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Throws when an argument holds <see cref="Replacement"/>.</summary>
    /// <exception cref="DaboException">Naming the flag (or the position) and the argument.</exception>
    public static void Check(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (!args[i].Contains(Replacement, StringComparison.Ordinal))
            {
                continue;
            }
            string flag = i > 0 && args[i - 1].StartsWith('-') ? args[i - 1] : $"argument {i + 1}";
            throw new DaboException($"{flag} {args[i]}: not valid UTF-8 (undecodable bytes shown as {Replacement}); rename the file or folder to a UTF-8 name");
        }
    }
}
