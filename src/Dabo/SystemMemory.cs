using System.Globalization;

namespace Dabo;

/// <summary>How much memory the machine can still give this process.</summary>
public static class SystemMemory
{
    /// <summary>
    /// Linux's <c>MemAvailable</c> (free plus reclaimable memory) from <c>/proc/meminfo</c>; elsewhere, or when
    /// it cannot be read, the runtime's view (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits).
    /// </summary>
    public static long AvailableBytes()
    {
        long runtime = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                    {
                        // A container limit below the machine's free memory is the real bound.
                        return Math.Min(kb * 1024, runtime > 0 ? runtime : long.MaxValue);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc hidden: fall back to the runtime's figure.
        }
        return runtime;
    }
}
