using System.Text;
using Dabo.IO;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// A binary cache of a decoded dataset, so that tens of thousands of JPEGs are decoded once.
/// The file records a fingerprint of its source (sizes and modification times); a changed
/// source makes it stale and it is rebuilt, and so is a damaged cache (its SHA-256 header does not
/// match, or its sizes do not). Written to a temporary file and renamed, so a crash never leaves
/// a half-written cache behind. Images resized at decode (<c>--image-size</c>) are cached in a file
/// of their own per size, whose fingerprint also records the size.
/// </summary>
public static class DecodedCache
{
    // v1: train and test; v2 adds a validation split (written only when there is one, so that a
    // dataset without val/ keeps the v1 file that earlier versions read).
    private const string Magic = "DABO-DECODED-CACHE-v1";
    private const string MagicWithValidation = "DABO-DECODED-CACHE-v2";
    private const string GrayscaleTrailer = "grayscale-to-rgb";

    /// <summary>
    /// Checks that <paramref name="directory"/> can hold the cache (it, or the directory it would be
    /// created in, is a directory this process may write), without creating it: a cache that cannot be
    /// written would otherwise be skipped without a word and every image decoded again next time.
    /// </summary>
    /// <param name="flag">The flag that gave the directory, for the message (e.g. <c>--cache-dir</c>).</param>
    /// <param name="directory">The cache directory.</param>
    /// <exception cref="DaboException">A file, a directory below a file, or a location that refuses new files.</exception>
    public static void CheckDirectory(string flag, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory, flag);
        if (File.Exists(directory))
        {
            throw new DaboException($"{flag} {directory}: is a file; pass a directory for the decoded-image cache");
        }
        string? existing = Path.GetFullPath(directory);
        while (!string.IsNullOrEmpty(existing) && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new DaboException($"{flag} {directory}: a parent of it ({existing}) is a file, not a directory; choose another location");
            }
            existing = Path.GetDirectoryName(existing);
        }
        if (string.IsNullOrEmpty(existing))
        {
            return;
        }
        string probe = Path.Combine(existing, $".dabo-cache-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputPaths.Error(flag, directory, e);
        }
    }

    /// <summary>
    /// The default cache directory: <c>$DABO_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/dabo</c>,
    /// else <c>~/.cache/dabo</c>.
    /// </summary>
    public static string DefaultDirectory()
    {
        string? env = Environment.GetEnvironmentVariable("DABO_CACHE_DIR");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env;
        }
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "dabo");
    }

    /// <summary>The cache file used for <paramref name="source"/> inside <paramref name="cacheDirectory"/>.</summary>
    /// <param name="cacheDirectory">The cache directory.</param>
    /// <param name="source">The dataset's path.</param>
    /// <param name="imageSize">The size images are resized to at decode, or null for none: each size has its own file.</param>
    public static string PathFor(string cacheDirectory, string source, int? imageSize = null)
    {
        string full = Path.GetFullPath(source).TrimEnd('/');
        byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(full));
        string stem = Path.GetFileName(full);
        string size = imageSize is int n ? $"-{n}px" : "";
        return Path.Combine(cacheDirectory, $"{stem}-{Convert.ToHexString(hash, 0, 6).ToLowerInvariant()}{size}.dabocache");
    }

    /// <summary>
    /// The fingerprint a cache records: the source's (<see cref="SourceFiles.Fingerprint"/>) plus the
    /// decode size, so that a cache decoded at another size is never taken for this one.
    /// </summary>
    public static string FingerprintFor(string sourceFingerprint, int? imageSize) =>
        imageSize is int n ? $"{sourceFingerprint};image-size={n}" : sourceFingerprint;

    /// <summary>
    /// Loads the cached dataset when it exists and matches <paramref name="fingerprint"/>; otherwise
    /// null. A damaged cache (wrong checksum, bad header or sizes) is also null: the caller rebuilds it.
    /// </summary>
    public static Dataset? TryLoad(string cacheFile, string source, string fingerprint, DatasetFormat format)
    {
        if (!File.Exists(cacheFile))
        {
            return null;
        }
        try
        {
            return ChecksummedFile.Read(cacheFile, "decoded-image cache", "it is rebuilt", reader =>
            {
                string magic = reader.ReadString();
                if ((magic != Magic && magic != MagicWithValidation) || reader.ReadString() != fingerprint)
                {
                    return null;
                }
                int classCount = reader.ReadInt32();
                if (classCount <= 0 || classCount > reader.BaseStream.Length)
                {
                    throw new InvalidDataException($"class count {classCount}");
                }
                var names = new string[classCount];
                for (int i = 0; i < classCount; i++)
                {
                    names[i] = reader.ReadString();
                }
                var train = ReadSet(reader);
                var validation = magic == MagicWithValidation ? ReadSet(reader) : null;
                var test = ReadSet(reader);
                // Optional trailer (later versions): grayscale images repeated into RGB; earlier readers stop before it.
                int converted = reader.BaseStream.Position < reader.BaseStream.Length && reader.ReadString() == GrayscaleTrailer ? reader.ReadInt32() : 0;
                return new Dataset(format, source, train, test, names, validation) { GrayscaleConvertedToRgb = converted };
            });
        }
        catch (DaboException)
        {
            return null; // unreadable cache: rebuilt by the caller
        }
    }

    /// <summary>Writes the dataset atomically (temporary file, then rename) with a checksum.</summary>
    public static void Save(string cacheFile, string fingerprint, Dataset dataset)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(cacheFile))!;
        AtomicFile.DeleteStale(directory);
        ChecksummedFile.Write(cacheFile, writer =>
        {
            writer.Write(dataset.Validation is null ? Magic : MagicWithValidation);
            writer.Write(fingerprint);
            writer.Write(dataset.ClassCount);
            foreach (var name in dataset.ClassNames)
            {
                writer.Write(name);
            }
            WriteSet(writer, dataset.Train);
            if (dataset.Validation is not null)
            {
                WriteSet(writer, dataset.Validation);
            }
            WriteSet(writer, dataset.Test);
            if (dataset.GrayscaleConvertedToRgb > 0)
            {
                writer.Write(GrayscaleTrailer);
                writer.Write(dataset.GrayscaleConvertedToRgb);
            }
        });
    }

    private static void WriteSet(BinaryWriter writer, ImageSet set)
    {
        foreach (var d in set.Images.shape)
        {
            writer.Write((int)d);
        }
        writer.Write(set.Images.data<byte>().ToArray());
        foreach (var label in set.LabelArray)
        {
            writer.Write(label);
        }
    }

    private static ImageSet ReadSet(BinaryReader reader)
    {
        long[] shape = [reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32()];
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        // Sizes are checked against what the file holds before anything is allocated.
        if (shape.Any(d => d < 0 || d > left))
        {
            throw new InvalidDataException($"shape [{string.Join(", ", shape)}]");
        }
        long count = checked(shape[0] * shape[1] * shape[2] * shape[3]);
        if (count + (shape[0] * sizeof(long)) > left)
        {
            throw new InvalidDataException($"shape [{string.Join(", ", shape)}] larger than the file");
        }
        byte[] pixels = reader.ReadBytes(checked((int)count));
        if (pixels.Length != count)
        {
            throw new EndOfStreamException();
        }
        var labels = new long[shape[0]];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = reader.ReadInt64();
        }
        return new ImageSet(tensor(pixels, shape, ScalarType.Byte), tensor(labels, ScalarType.Int64));
    }
}
