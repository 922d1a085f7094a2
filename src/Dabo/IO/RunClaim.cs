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
        try
        {
            // FileShare.None takes an advisory flock on Unix and a share lock on Windows. The file is
            // never deleted: deleting it would let two processes lock two different inodes.
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
