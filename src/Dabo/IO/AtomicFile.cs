using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Dabo.IO;

/// <summary>
/// Writes files so that a reader (or a crash) never sees half of one: the content goes to a
/// temporary file in the same directory, which is then renamed over the target.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes text atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        writer.Write(text);
    });

    /// <summary>Writes through <paramref name="write"/> into a temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                if (stream.CanWrite)
                {
                    stream.Flush(flushToDisk: true); // writers that close the stream have flushed it
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Deletes the temporary files that writers killed mid-write (<c>kill -9</c>, power loss) left in
    /// <paramref name="directory"/>. Files of processes still running are kept: they may be writing.
    /// </summary>
    public static void DeleteStale(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        foreach (string file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var match = TempName().Match(Path.GetFileName(file));
            if (match.Success && int.TryParse(match.Groups[1].ValueSpan, out int pid) && !IsRunning(pid))
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left for the next run: a leftover temporary file is harmless.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    // .NAME.<pid>.<32 hex digits>.tmp, as written by Write.
    [GeneratedRegex(@"^\..+\.([0-9]+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TempName();
}
