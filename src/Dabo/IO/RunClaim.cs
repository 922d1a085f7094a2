using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dabo.Training.Runs;

namespace Dabo.IO;

/// <summary>
/// An exclusive claim on a run directory, so that two processes never write the same run (two
/// <c>dabo train</c> on one <c>--out</c>, or workers of one comparison). It is an operating-system
/// file lock on a hidden <c>.NAME.lock</c> file beside the directory: the kernel releases it when the
/// process ends, however it ends, so a crashed writer never leaves a stale claim behind. The holder
/// writes its process id into the file, so that a refused process can say who holds it.
/// </summary>
public sealed class RunClaim : IDisposable
{
    // What .NET's IOException.HResult carries for a lock another open file holds: EWOULDBLOCK on Linux
    // and on macOS, ERROR_SHARING_VIOLATION on Windows. Every other failure (no such directory, a virtual
    // file system) is an error, not a claim held elsewhere.
    private static readonly int[] HeldElsewhere = [11, 35, unchecked((int)0x80070020)];

    private readonly FileStream _lock;

    private RunClaim(FileStream lockFile) => _lock = lockFile;

    /// <summary>The lock file that guards <paramref name="runDirectory"/>.</summary>
    public static string LockFile(string runDirectory)
    {
        string full = Path.GetFullPath(runDirectory).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.lock");
    }

    /// <summary>
    /// Claims <paramref name="runDirectory"/>, or returns null when another process (or another claim of this one) holds it.
    /// Creates the directory's parent when missing.
    /// </summary>
    /// <exception cref="IOException">The lock file cannot be created (unwritable or virtual file system).</exception>
    /// <exception cref="UnauthorizedAccessException">The parent directory may not be written.</exception>
    public static RunClaim? TryAcquire(string runDirectory)
    {
        string path = LockFile(runDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // FileShare.None takes an advisory flock on Unix and a share lock on Windows. The file is
        // never deleted: deleting it would let two processes lock two different inodes.
        var claim = TryAcquireFile(path);
        claim?.WriteHolder();
        return claim;
    }

    /// <summary>
    /// The process id the holder of <paramref name="runDirectory"/>'s claim wrote, or null when unknown. Read
    /// without taking the lock; it may be a moment old (a claim being taken), so it is a hint for messages only.
    /// </summary>
    public static int? HolderProcessId(string runDirectory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            // .NET takes a shared flock on every file it opens for reading, which the holder's lock refuses;
            // the plain system call reads the file without locking it.
            int fd = Open(LockFile(runDirectory), 0);
            if (fd < 0)
            {
                return null;
            }
            var buffer = new byte[32];
            nint read = Read(fd, buffer, buffer.Length);
            _ = Close(fd);
            return read > 0 && int.TryParse(Encoding.ASCII.GetString(buffer, 0, (int)read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private void WriteHolder()
    {
        try
        {
            _lock.SetLength(0);
            _lock.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            _lock.Flush();
        }
        catch (IOException)
        {
            // The claim holds without the hint.
        }
    }

    [DllImport("libc.so.6", EntryPoint = "open")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc.so.6", EntryPoint = "read")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Read(int fd, [Out] byte[] buffer, nint count);

    [DllImport("libc.so.6", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);

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
        string probe = LockProbeFile(directory);
        using var first = TryAcquireFile(probe);
        if (first is null)
        {
            return true; // another process is probing right now: locks work
        }
        using var second = TryAcquireFile(probe);
        return second is null;
    }

    /// <summary>The file <see cref="LocksWork"/> locks in <paramref name="directory"/> (left there: others may be probing it).</summary>
    public static string LockProbeFile(string directory) => Path.Combine(directory, ".lock-probe");

    private static RunClaim? TryAcquireFile(string path)
    {
        try
        {
            return new RunClaim(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (HeldElsewhere.Contains(e.HResult))
        {
            return null;
        }
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose() => _lock.Dispose();
}
