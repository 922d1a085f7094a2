namespace Dabo.Tests.Packaging;

/// <summary>
/// The CLI tunes glibc's malloc so that large tensors are not mapped and unmapped on every step (a
/// quarter of a bilevel step went to page faults, docs/speed.md), unless the environment decides; the
/// library leaves the process-wide setting to the application.
/// </summary>
public class AllocatorTests
{
    private static bool EnvironmentDecides =>
        Environment.GetEnvironmentVariable("DABO_MALLOC") == "default"
        || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null
        || Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal));

    [Fact]
    public void TuneAllocator_applies_the_glibc_settings_unless_the_environment_says_otherwise()
    {
        TorchRuntime.EnsureLoaded();
        bool applied = TorchRuntime.TuneAllocator();
        Assert.Equal(OperatingSystem.IsLinux() && !EnvironmentDecides, applied);
        Assert.Equal(applied, TorchRuntime.AllocatorTuned);
        // Idempotent: a second call applies the same settings again.
        Assert.Equal(applied, TorchRuntime.TuneAllocator());
    }

    [Fact]
    public void Only_the_command_line_calls_it()
    {
        var library = Path.Combine(Dabo.Tests.Docs.RepositoryFiles.Root(), "src", "Dabo");
        var callers = Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith("TorchRuntime.cs", StringComparison.Ordinal)
                && File.ReadAllText(f).Contains("TuneAllocator()", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(callers);
        Assert.Contains("TorchRuntime.TuneAllocator();", File.ReadAllText(Path.Combine(Dabo.Tests.Docs.RepositoryFiles.Root(), "src", "Dabo.Cli", "CliApp.cs")), StringComparison.Ordinal);
    }
}
