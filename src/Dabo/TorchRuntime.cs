using TorchSharp;

namespace Dabo;

/// <summary>
/// One place that prepares libtorch for a process: loads the native library with a clear error
/// when the machine lacks what it needs, and sets the number of CPU threads.
/// </summary>
public static class TorchRuntime
{
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
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
                {
                    throw new DaboException($"TorchSharp's native library failed to load ({FirstLine(e.Message)}); run scripts/setup.sh (it installs a libstdc++ with GLIBCXX_3.4.32)", e);
                }
                _loaded = true;
            }
        }
    }

    /// <summary>
    /// The intra-op thread count used for <paramref name="threads"/>: all cores for null or 0, and never more
    /// than the cores (1,000 threads on 2 cores made a 2 s run take 206 s of contention).
    /// </summary>
    public static int EffectiveThreads(int? threads) =>
        threads is null or 0 ? Environment.ProcessorCount : Math.Min(threads.Value, Environment.ProcessorCount);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
