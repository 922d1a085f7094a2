using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Dabo.IO;

/// <summary>
/// The binary files Dabo writes and reads back (checkpoints, models, augmenters, decoded caches):
/// a header — <c>DABO-SHA256\n</c>, the payload's length (int64, little-endian) and its SHA-256 —
/// then the payload. The header is part of the same atomic write as the payload, so the two can
/// never disagree after a crash; a damaged or foreign file is refused before any of it is parsed.
/// </summary>
public static class ChecksummedFile
{
    private static readonly byte[] Magic = "DABO-SHA256\n"u8.ToArray();
    private static readonly int HeaderSize = Magic.Length + sizeof(long) + SHA256.HashSizeInBytes;

    /// <summary>Writes <paramref name="path"/> atomically: header, then what <paramref name="write"/> writes.</summary>
    public static void Write(string path, Action<BinaryWriter> write) => AtomicFile.Write(path, stream =>
    {
        stream.Write(new byte[HeaderSize]); // filled in once the payload's hash is known
        long length;
        byte[] hash;
        using (var hashing = new HashingStream(stream))
        {
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                write(writer);
            }
            length = hashing.Written;
            hash = hashing.Hash();
        }
        stream.Position = 0;
        stream.Write(Header(length, hash));
    });

    /// <summary>
    /// Verifies <paramref name="path"/> and parses its payload with <paramref name="read"/>. A missing
    /// header, a wrong length or checksum, a directory in the file's place, or a payload that
    /// <paramref name="read"/> cannot parse becomes one <see cref="DaboException"/>:
    /// <c>PATH: what is wrong; <paramref name="remedy"/></c>. DaboExceptions of <paramref name="read"/> pass unchanged.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for messages (e.g. <c>checkpoint</c>).</param>
    /// <param name="remedy">What the user can do about a damaged file.</param>
    /// <param name="read">Parses the payload (the reader is positioned at its start).</param>
    public static T Read<T>(string path, string what, string remedy, Func<BinaryReader, T> read)
    {
        using var stream = OpenVerified(path, what, remedy);
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            return read(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or FormatException or OverflowException
            or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new DaboException($"{path}: unreadable {what} ({FirstLine(e.Message)}); {remedy}", e);
        }
    }

    /// <summary>Checks <paramref name="path"/>'s header and checksum without parsing it (same errors as <see cref="Read"/>).</summary>
    public static void Verify(string path, string what, string remedy) => OpenVerified(path, what, remedy).Dispose();

    // Opens the file, checks header, length and SHA-256, and returns it positioned at the payload.
    private static FileStream OpenVerified(string path, string what, string remedy)
    {
        DaboException Damaged(string problem) => new($"{path}: {problem}; {remedy}");
        if (Directory.Exists(path))
        {
            throw Damaged($"is a directory, not a {what} file");
        }
        if (!File.Exists(path))
        {
            throw Damaged("not found");
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DaboException($"{path}: cannot be read ({FirstLine(e.Message)})", e);
        }
        try
        {
            var header = new byte[HeaderSize];
            int read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
            if (read < Magic.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                throw Damaged($"not a Dabo {what} file with a checksum (damaged, or written by a Dabo older than checksums)");
            }
            long length = read < HeaderSize ? -1 : BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(Magic.Length));
            if (length != stream.Length - HeaderSize)
            {
                throw Damaged($"damaged {what}: {stream.Length} bytes instead of {HeaderSize + Math.Max(0, length)} (truncated or appended to)");
            }
            byte[] actual = SHA256.HashData(stream);
            if (!actual.AsSpan().SequenceEqual(header.AsSpan(Magic.Length + sizeof(long))))
            {
                throw Damaged($"damaged {what}: its SHA-256 checksum does not match its content");
            }
            stream.Position = HeaderSize;
            return stream;
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new DaboException($"{path}: cannot be read ({FirstLine(e.Message)})", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static byte[] Header(long length, byte[] hash)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(Magic.Length), length);
        hash.CopyTo(header, Magic.Length + sizeof(long));
        return header;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('.', '\r');
}
