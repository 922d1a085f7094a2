using System.Globalization;

namespace Dabo.Experiments.Benchmarks;

/// <summary>Resident memory of this process from <c>/proc/self/status</c> (Linux), in MiB.</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set size (VmRSS), or null where <c>/proc</c> is unavailable.</summary>
    public static double? ResidentMegabytes() => Read("VmRSS:");

    /// <summary>Peak resident set size so far (VmHWM, the high-water mark), or null where <c>/proc</c> is unavailable.</summary>
    public static double? PeakResidentMegabytes() => Read("VmHWM:");

    /// <summary>
    /// Resets the peak (VmHWM) to the current resident size, by writing 5 to
    /// <c>/proc/self/clear_refs</c> (Linux 4.0 and later); false where that is not possible. Freed
    /// memory that malloc keeps for reuse (the CLI's tuned allocator keeps it all) is handed back to
    /// the kernel first (<c>malloc_trim</c>), so that the next peak measures what the next work needs.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                MallocTrim(0);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the peak then includes memory kept from earlier work.
        }
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Parses one <c>kB</c> field of a <c>/proc/PID/status</c> text into MiB, or null when absent.</summary>
    /// <param name="status">The file's text.</param>
    /// <param name="field">Field name with its colon, e.g. <c>VmHWM:</c>.</param>
    public static double? Parse(string status, string field)
    {
        foreach (var line in status.Split('\n'))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal))
            {
                continue;
            }
            var parts = line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
            {
                return kb / 1024.0;
            }
        }
        return null;
    }

    private static double? Read(string field)
    {
        const string file = "/proc/self/status";
        try
        {
            return File.Exists(file) ? Parse(File.ReadAllText(file), field) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
