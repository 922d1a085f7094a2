using System.Text;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// A binary cache of a decoded dataset, so that tens of thousands of JPEGs are decoded once.
/// The file records a fingerprint of its source (sizes and modification times); a changed
/// source makes it stale and it is rebuilt. Written to a temporary file and renamed, so a
/// crash never leaves a half-written cache behind.
/// </summary>
public static class DecodedCache
{
    private const string Magic = "DABO-DECODED-CACHE-v1";

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
    public static string PathFor(string cacheDirectory, string source)
    {
        string full = Path.GetFullPath(source).TrimEnd('/');
        byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(full));
        string stem = Path.GetFileName(full);
        return Path.Combine(cacheDirectory, $"{stem}-{Convert.ToHexString(hash, 0, 6).ToLowerInvariant()}.dabocache");
    }

    /// <summary>Loads the cached dataset when it exists and matches <paramref name="fingerprint"/>; otherwise null.</summary>
    public static Dataset? TryLoad(string cacheFile, string source, string fingerprint, DatasetFormat format)
    {
        if (!File.Exists(cacheFile))
        {
            return null;
        }
        try
        {
            using var reader = new BinaryReader(File.OpenRead(cacheFile), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != fingerprint)
            {
                return null;
            }
            int classCount = reader.ReadInt32();
            var names = new string[classCount];
            for (int i = 0; i < classCount; i++)
            {
                names[i] = reader.ReadString();
            }
            var train = ReadSet(reader);
            var test = ReadSet(reader);
            return new Dataset(format, source, train, test, names);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException)
        {
            return null; // unreadable cache: rebuilt by the caller
        }
    }

    /// <summary>Writes the dataset atomically (temporary file, then rename).</summary>
    public static void Save(string cacheFile, string fingerprint, Dataset dataset)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
        string temp = $"{cacheFile}.{Environment.ProcessId}.tmp";
        try
        {
            using (var writer = new BinaryWriter(File.Create(temp), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(fingerprint);
                writer.Write(dataset.ClassCount);
                foreach (var name in dataset.ClassNames)
                {
                    writer.Write(name);
                }
                WriteSet(writer, dataset.Train);
                WriteSet(writer, dataset.Test);
            }
            File.Move(temp, cacheFile, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
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
        long count = shape[0] * shape[1] * shape[2] * shape[3];
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
