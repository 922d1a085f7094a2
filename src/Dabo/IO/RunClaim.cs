namespace Dabo.IO;

/// <summary>
/// An exclusive claim on a run directory, so that several processes working through the same
/// comparison never train the same run twice. It is an operating-system file lock on a hidden
/// <c>.NAME.lock</c> file beside the directory: the kernel releases it when the process ends,
/// however it ends, so a crashed worker never leaves a stale claim behind.
/// </summary>
public sealed class RunClaim : IDisposable
{
    private readonly FileStream _lock;

    private RunClaim(FileStream lockFile) => _lock = lockFile;

    /// <summary>The lock file that guards <paramref name="runDirectory"/>.</summary>
    public static string LockFile(string runDirectory)
    {
        string full = Path.GetFullPath(runDirectory).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.lock");
    }

    /// <summary>Claims <paramref name="runDirectory"/>, or returns null when another process (or another claim of this one) holds it.</summary>
    public static RunClaim? TryAcquire(string runDirectory)
    {
        string path = LockFile(runDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // FileShare.None takes an advisory flock on Unix and a share lock on Windows. The file is
        // never deleted: deleting it would let two processes lock two different inodes.
        return TryAcquireFile(path);
    }

    /// <summary>
    /// Whether the file system of <paramref name="directory"/> enforces the locks claims rely on: a probe
    /// lock file there is locked, and a second lock on it must be refused. Where locking is unsupported
    /// (.NET then opens the file without a lock, silently) every process would get every claim and runs
    /// would be trained twice. This cannot see locks that hold only within one machine (NFSv3 mounted
    /// with <c>local_lock</c> or <c>nolock</c>, Lustre with <c>localflock</c>): on a cluster the mount
    /// options must say so.
    /// </summary>
    public static bool LocksWork(string directory)
    {
        Directory.CreateDirectory(directory);
        string probe = Path.Combine(directory, ".lock-probe");
        using var first = TryAcquireFile(probe);
        if (first is null)
        {
            return true; // another process is probing right now: locks work
        }
        using var second = TryAcquireFile(probe);
        return second is null;
    }

    private static RunClaim? TryAcquireFile(string path)
    {
        try
        {
            return new RunClaim(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose() => _lock.Dispose();
}
