using Dabo.Data;
using Spectre.Console.Cli;

namespace Dabo.Cli;

/// <summary>Settings of a command that reads datasets through the decoded-image cache.</summary>
public interface ICacheDirectorySettings
{
    /// <summary>The <c>--cache-dir</c> given, or null for the default.</summary>
    string? CacheDir { get; }
}

/// <summary>
/// Checks <c>--cache-dir</c> before any command runs: a file, a directory below a file or a location
/// that refuses new files is refused in one line, instead of a cache silently never written.
/// </summary>
public sealed class CacheDirectoryCheck : ICommandInterceptor
{
    /// <inheritdoc />
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (settings is ICacheDirectorySettings { CacheDir: { } directory })
        {
            DecodedCache.CheckDirectory("--cache-dir", directory);
        }
    }
}
