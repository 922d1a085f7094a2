using System.Runtime.InteropServices;
using TorchSharp;

namespace Dabo;

/// <summary>
/// One place that prepares libtorch for a process: loads the native library with a clear error
/// when the machine lacks what it needs, sets the number of CPU threads, and, when the application
/// asks (the CLI does), keeps glibc's malloc from handing large tensors back to the kernel
/// (<see cref="TuneAllocator"/>).
/// </summary>
public static class TorchRuntime
{
    // glibc mallopt parameters (malloc.h).
    private const int MallocTrimThreshold = -1;
    private const int MallocTopPad = -2;
    private const int MallocMmapThreshold = -3;

    // glibc's largest allowed mmap threshold (HEAP_MAX_SIZE / 2 on 64-bit): blocks from here up stay mapped on demand.
    private const int LargestMmapThreshold = 32 << 20;

    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Loads libtorch (idempotent) and sets the intra-op thread count.</summary>
    /// <param name="threads">CPU threads; null or 0 for the number of cores; capped at the number of cores.</param>
    /// <exception cref="DaboException">When the native library cannot be loaded.</exception>
    public static void Initialize(int? threads = null)
    {
        EnsureLoaded();
        if (threads is < 0)
        {
            throw new DaboException($"--threads {threads}: must be positive (or 0 for all {Environment.ProcessorCount} cores)");
        }
        torch.set_num_threads(EffectiveThreads(threads));
    }

    /// <summary>Loads libtorch (idempotent) and changes nothing else.</summary>
    /// <exception cref="DaboException">When the native library cannot be loaded.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (!_loaded)
            {
                // Load libLibTorchSharp ourselves first: the loader's own error (e.g. "GLIBCXX_3.4.32 not
                // found") names what is missing, where TorchSharp's message prints a long trace without it.
                if (NativeLoadError() is string error)
                {
                    throw new DaboException(LoadFailureMessage(error));
                }
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
                {
                    throw new DaboException(LoadFailureMessage(e.InnerException?.Message ?? e.Message), e);
                }
                _loaded = true;
            }
        }
    }

    /// <summary>Whether <see cref="TuneAllocator"/> changed glibc's malloc settings in this process.</summary>
    public static bool AllocatorTuned { get; private set; }

    /// <summary>
    /// On Linux with glibc, makes malloc keep freed memory for reuse instead of returning it to the kernel:
    /// blocks under 32 MiB come from the heap (<c>M_MMAP_THRESHOLD</c> at glibc's maximum, 32 MiB), the heap
    /// is not trimmed (<c>M_TRIM_THRESHOLD</c> 2 GiB) and grows by 64 MiB at least. By default glibc's mmap
    /// threshold starts at 128 KiB, and blocks it has not yet raised it over get a fresh mapping that is unmapped
    /// on free, so large activation and gradient tensors cost page faults and zeroing on every step: a quarter
    /// of a small-cnn bilevel step's time went to the kernel (docs/speed.md). Blocks of 32 MiB and more stay
    /// mapped per use: with no mmap at all, ResNet-18's peak RSS in bench speed grew from 13,043 to 19,871 MiB (fragmentation).
    /// Process-wide, so the library never calls it itself: the <c>dabo</c> command calls it at start, and an
    /// application may (once, early). Does nothing when <c>DABO_MALLOC=default</c>, or when the
    /// environment already sets <c>GLIBC_TUNABLES</c> or a <c>MALLOC_*</c> variable (the user's choice wins).
    /// </summary>
    /// <returns>Whether the settings were applied.</returns>
    public static bool TuneAllocator()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("DABO_MALLOC") == "default"
            || Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is not null
            || Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal)))
        {
            return false;
        }
        try
        {
            // mallopt returns 1 on success; musl's stub returns 0 and changes nothing.
            AllocatorTuned = Mallopt(MallocMmapThreshold, LargestMmapThreshold) == 1
                & Mallopt(MallocTrimThreshold, int.MaxValue) == 1
                & Mallopt(MallocTopPad, 64 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            AllocatorTuned = false;
        }
        return AllocatorTuned;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>
    /// The intra-op thread count used for <paramref name="threads"/>: all cores for null or 0, and never more
    /// than the cores (1,000 threads on 2 cores made a 2 s run take 206 s of contention).
    /// </summary>
    public static int EffectiveThreads(int? threads) =>
        threads is null or 0 ? Environment.ProcessorCount : Math.Min(threads.Value, Environment.ProcessorCount);

    /// <summary>
    /// The one-line message for a native load failure whose loader error is <paramref name="error"/>: what to
    /// install when it is the C++ runtime (libtorch 2.10 needs <c>GLIBCXX_3.4.32</c>, GCC 13's libstdc++;
    /// Debian 12 has GCC 12's), else the loader's own words.
    /// </summary>
    internal static string LoadFailureMessage(string error)
    {
        string detail = LoaderDetail(error);
        if (error.Contains("GLIBCXX_", StringComparison.Ordinal) || error.Contains("CXXABI_", StringComparison.Ordinal)
            || error.Contains("libstdc++", StringComparison.Ordinal))
        {
            return $"TorchSharp's native library needs a newer C++ runtime ({detail}); install a libstdc++6 with GLIBCXX_3.4.32 "
                + "(GCC 13 or newer: Debian 13, Ubuntu 24.04; on Debian 12: 'sudo apt-get install -t trixie libstdc++6' after adding a trixie apt source, "
                + "which is what scripts/setup.sh of a Dabo checkout does), then run again";
        }
        return $"TorchSharp's native library failed to load ({detail}); on Debian or Ubuntu run scripts/setup.sh of a Dabo checkout, "
            + "or install what the message names (libtorch 2.10 needs glibc 2.28 and a libstdc++6 with GLIBCXX_3.4.32)";
    }

    /// <summary>
    /// Loads <c>libLibTorchSharp.so</c> from where the build or the tool puts it (Linux only) and returns the
    /// loader's error, or null when it loaded or is not where we look (then TorchSharp finds it its own way).
    /// </summary>
    private static string? NativeLoadError()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        string? torchDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        string[] candidates =
        [
            .. torchDirectory is null ? Array.Empty<string>() : [Path.Combine(torchDirectory, "libLibTorchSharp.so")],
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libLibTorchSharp.so"),
        ];
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }
        try
        {
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
    }

    /// <summary>The part of a loader message after the .NET preamble, on one line.</summary>
    private static string LoaderDetail(string error)
    {
        string line = string.Join(' ', error.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // .NET's DllNotFoundException starts with a hint about strace and LD_DEBUG; the loader's own words follow it.
        const string Hint = "environment variable:";
        int hint = line.IndexOf(Hint, StringComparison.Ordinal);
        if (hint >= 0 && hint + Hint.Length < line.Length)
        {
            line = line[(hint + Hint.Length)..].Trim();
        }
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
