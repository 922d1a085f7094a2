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

    // File systems that hold no user files: kernel views (/proc, /sys), devices (/dev) and control interfaces.
    private static readonly HashSet<string> SpecialFileSystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs",
        "bpf", "pstore", "efivarfs", "mqueue", "fusectl", "binfmt_misc", "hugetlbfs",
    };

    /// <summary>
    /// Checks, before any work and without leaving anything behind, that the file <paramref name="path"/> can be
    /// written: not on a special file system (/proc, /sys, /dev), no parent a file, not a directory itself, and a
    /// probe file can be created where it goes (which catches read-only, immutable and unwritable places).
    /// </summary>
    /// <param name="flag">The flag that named the path, e.g. <c>--out</c>, for the message.</param>
    /// <param name="path">The file to be written (its directory may not exist yet).</param>
    /// <exception cref="DaboException">One line naming the flag, the path and the reason.</exception>
    public static void CheckFile(string flag, string path) => Check(flag, path, directory: false);

    /// <summary>
    /// Checks, before any work and without leaving anything behind, that the directory <paramref name="path"/> can be
    /// created (or, when it exists, written): as <see cref="CheckFile"/>, with "is a file" refused instead.
    /// </summary>
    /// <param name="flag">The flag that named the path, e.g. <c>--tensorboard</c>.</param>
    /// <param name="path">The directory to be written into.</param>
    /// <exception cref="DaboException">One line naming the flag, the path and the reason.</exception>
    public static void CheckDirectory(string flag, string path) => Check(flag, path, directory: true);

    private static void Check(string flag, string path, bool directory)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DaboException($"{flag}: empty; pass a {(directory ? "directory" : "file name")}");
        }
        string full = Path.GetFullPath(path);
        if (MountedFileSystem(full) is { } type && SpecialFileSystems.Contains(type))
        {
            throw new DaboException($"{flag} {path}: on the special file system '{type}' (like /proc, /sys and /dev it holds no ordinary files); choose a location on a disk");
        }
        if (ParentIsFile(full))
        {
            throw new DaboException($"{flag} {path}: a parent of it is a file, not a directory; choose another location");
        }
        if (directory && File.Exists(full))
        {
            throw new DaboException($"{flag} {path}: is a file; pass a directory");
        }
        if (!directory && Directory.Exists(full))
        {
            throw new DaboException($"{flag} {path}: is a directory; pass a file name");
        }
        string existing = full.TrimEnd(Path.DirectorySeparatorChar);
        if (!directory || !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing) ?? existing;
        }
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }
        try
        {
            // A real creation is the only test that holds for root, read-only mounts and immutable directories alike.
            string probe = Path.Combine(existing, $".dabo-write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(flag, path, e);
        }
    }

    // The type of the file system holding `full` (longest mount point that prefixes it, from /proc/self/mounts), or null.
    private static string? MountedFileSystem(string full)
    {
        string? best = null;
        int bestLength = -1;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length < 3)
                {
                    continue;
                }
                string mount = Unescape(fields[1]);
                bool contains = mount == "/" || full == mount || full.StartsWith(mount + "/", StringComparison.Ordinal);
                if (contains && mount.Length > bestLength)
                {
                    (best, bestLength) = (fields[2], mount.Length);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // not Linux, or /proc hidden: the probe still tests the location
        }
        return best;
    }

    // /proc/self/mounts writes space, tab, newline and backslash in mount points as octal escapes (\040).
    private static string Unescape(string field) => field.Contains('\\', StringComparison.Ordinal)
        ? System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString())
        : field;

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
