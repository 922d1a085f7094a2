using System.Formats.Tar;
using System.IO.Compression;

namespace Dabo.Data;

/// <summary>
/// The files of a dataset source, whether a directory or a <c>.tar</c> / <c>.tar.gz</c> archive
/// read as a stream (never unpacked to disk). Entry names use '/' and are relative to the root.
/// </summary>
internal static class SourceFiles
{
    /// <summary>True when the file starts like a gzip stream or a (ustar) tar archive.</summary>
    public static bool IsArchive(string path)
    {
        Span<byte> head = stackalloc byte[512];
        using var stream = File.OpenRead(path);
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return true;
        }
        return read >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8);
    }

    /// <summary>Relative names of the regular files in a directory (recursively) or an archive.</summary>
    public static List<string> ListNames(string path)
    {
        var names = new List<string>();
        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                // .NET decodes bytes that are not UTF-8 to U+FFFD: such a name cannot be opened again (and
                // would hide a class folder), so ask for a rename instead of failing later.
                if (file.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    throw new DaboException($"{file}: name is not valid UTF-8 (undecodable bytes shown as \uFFFD); rename it (or its folder) to a UTF-8 name");
                }
                names.Add(Path.GetRelativePath(path, file).Replace('\\', '/'));
            }
            foreach (var dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Where(d => d.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                throw new DaboException($"{dir}: name is not valid UTF-8 (undecodable bytes shown as \uFFFD); rename it to a UTF-8 name");
            }
            return names;
        }
        ForEachArchiveEntry(path, _ => true, (name, _) => names.Add(name), readData: false);
        return names;
    }

    /// <summary>
    /// Calls <paramref name="action"/> with the name and bytes of every regular file whose name
    /// passes <paramref name="filter"/>, in archive (or sorted directory) order.
    /// </summary>
    public static void ForEach(string path, Func<string, bool> filter, Action<string, byte[]> action)
    {
        if (Directory.Exists(path))
        {
            foreach (var name in ListNames(path).Where(filter).Order(StringComparer.Ordinal))
            {
                action(name, File.ReadAllBytes(Path.Combine(path, name)));
            }
            return;
        }
        ForEachArchiveEntry(path, filter, action, readData: true);
    }

    private static void ForEachArchiveEntry(string path, Func<string, bool> filter, Action<string, byte[]> action, bool readData)
    {
        try
        {
            using var file = File.OpenRead(path);
            Stream stream = file;
            var head = new byte[2];
            int read = file.Read(head, 0, 2);
            file.Position = 0;
            if (read == 2 && head[0] == 0x1f && head[1] == 0x8b)
            {
                stream = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            }
            using (stream)
            {
                using var tar = new TarReader(stream);
                while (tar.GetNextEntry(copyData: false) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    {
                        continue;
                    }
                    string name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
                    if (!filter(name))
                    {
                        continue;
                    }
                    byte[] data = [];
                    if (readData && entry.DataStream is not null)
                    {
                        data = new byte[entry.Length];
                        entry.DataStream.ReadExactly(data);
                    }
                    action(name, data);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DaboException($"{path}: truncated or corrupt archive ({e.Message.TrimEnd('.')}); download or pack it again", e);
        }
    }

    /// <summary>
    /// A fingerprint that changes when the source changes: size and modification time of the file,
    /// or of every file below the directory.
    /// </summary>
    public static string Fingerprint(string path)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(s + "\n"));
        Add(Path.GetFullPath(path));
        if (Directory.Exists(path))
        {
            foreach (var name in ListNames(path).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(Path.Combine(path, name));
                Add($"{name}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
            }
        }
        else
        {
            var info = new FileInfo(path);
            Add($"{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        }
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant();
    }
}
