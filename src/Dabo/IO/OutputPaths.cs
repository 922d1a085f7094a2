namespace Dabo.IO;

/// <summary>
/// Creation of output locations (a run directory, a results folder, a PNG): turns the operating
/// system's refusals into one line that names the path and the reason, and removes what was created
/// before the failure so that the corrected command does not find a half-made output.
/// </summary>
public static class OutputPaths
{
    // Linux errno values carried by .NET's IOException.HResult on Unix.
    private const int NoEntry = 2;
    private const int AccessDenied = 13;
    private const int NotADirectory = 20;
    private const int NoSpace = 28;
    private const int ReadOnlyFileSystem = 30;
    private const int QuotaExceeded = 122;
    private const int NotPermitted = 1;

    /// <summary>The outermost directory of <paramref name="path"/> that does not exist yet (what creating it would create), or null when it exists.</summary>
    public static string? FirstMissing(string path)
    {
        string? full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string? missing = null;
        while (!string.IsNullOrEmpty(full) && !Directory.Exists(full) && !File.Exists(full))
        {
            missing = full;
            full = Path.GetDirectoryName(full);
        }
        return missing;
    }

    /// <summary>Removes <paramref name="created"/> (a directory this process just created), ignoring failures.</summary>
    public static void RemoveCreated(string? created)
    {
        if (created is null)
        {
            return;
        }
        try
        {
            if (Directory.Exists(created))
            {
                Directory.Delete(created, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the error about the original failure matters more.
        }
    }

    /// <summary>Creates directory <paramref name="path"/>, or throws one line naming <paramref name="flag"/> and the path.</summary>
    public static void CreateDirectory(string flag, string path)
    {
        if (File.Exists(path))
        {
            throw new DaboException($"{flag} {path}: is a file; pass a directory");
        }
        string? created = FirstMissing(path);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveCreated(created);
            throw Error(flag, path, e);
        }
    }

    /// <summary>
    /// Refuses an output whose file system has less than <paramref name="bytesNeeded"/> free, before anything is
    /// written there: a disk that fills after the first files leaves a run that is neither usable nor resumable.
    /// Virtual file systems (size 0, e.g. /proc) are left to the creation's own error.
    /// </summary>
    public static void EnsureSpace(string flag, string path, long bytesNeeded)
    {
        string? existing = Path.GetFullPath(path);
        while (!string.IsNullOrEmpty(existing) && !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
        }
        if (string.IsNullOrEmpty(existing))
        {
            return;
        }
        long free;
        try
        {
            var drive = new DriveInfo(existing);
            if (drive.TotalSize == 0)
            {
                return;
            }
            free = drive.AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // Unknown free space: let the writes themselves report.
        }
        if (free < bytesNeeded)
        {
            throw new DaboException($"{flag} {path}: no space left on device ({Size(free)} free, the output needs about {Size(bytesNeeded)}); free space there or choose another location");
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
        _ => $"{bytes / 1024.0:0} KB",
    };

    /// <summary>The one-line error for a failure to write <paramref name="path"/>, given with <paramref name="flag"/>.</summary>
    public static DaboException Error(string flag, string path, Exception e) => new($"{flag} {path}: {Reason(path, e)}", e);

    /// <summary>True when <paramref name="e"/> reports a full disk (or an exhausted quota).</summary>
    public static bool IsDiskFull(Exception e) => e is IOException { HResult: NoSpace or QuotaExceeded }
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="path"/> could not be written, in words, with what to do.</summary>
    public static string Reason(string path, Exception e)
    {
        if (IsDiskFull(e))
        {
            return "no space left on device; free space there or choose another location";
        }
        if (e is UnauthorizedAccessException || e.HResult is AccessDenied or NotPermitted)
        {
            return "permission denied; choose a directory you may write (or change its permissions)";
        }
        if (e.HResult == ReadOnlyFileSystem || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
        {
            return "read-only file system; choose a writable location";
        }
        if (e.HResult == NotADirectory || ParentIsFile(path))
        {
            return "a parent of it is a file, not a directory; choose another location";
        }
        if (e is FileNotFoundException or DirectoryNotFoundException || e.HResult == NoEntry)
        {
            return "the file system there refuses new files (no such file or directory; /proc and /sys are virtual); choose another location";
        }
        return $"cannot be written ({e.Message.Split('\n')[0].Trim().TrimEnd('.')}); choose another location";
    }

    private static bool ParentIsFile(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        while (!string.IsNullOrEmpty(dir))
        {
            if (File.Exists(dir))
            {
                return true;
            }
            dir = Path.GetDirectoryName(dir);
        }
        return false;
    }
}
