namespace Dabo.Tests.Packaging;

/// <summary>
/// Loading libtorch tunes glibc's malloc so that large tensors are not mapped and unmapped on every step
/// (a quarter of a bilevel step went to page faults, docs/speed.md), unless the environment decides.
/// </summary>
public class AllocatorTests
{
    [Fact]
    public void Loading_libtorch_tunes_glibc_malloc_unless_the_environment_says_otherwise()
    {
        TorchRuntime.EnsureLoaded();
        bool environmentDecides = Environment.GetEnvironmentVariable("DABO_MALLOC") == "default"
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null
            || Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal));
        Assert.Equal(OperatingSystem.IsLinux() && !environmentDecides, TorchRuntime.AllocatorTuned);
        // Idempotent: a second call applies the same settings again.
        Assert.Equal(TorchRuntime.AllocatorTuned, TorchRuntime.TuneAllocator());
    }
}
