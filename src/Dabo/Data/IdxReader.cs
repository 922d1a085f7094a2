using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Reads MNIST-style IDX datasets (MNIST, Fashion-MNIST, KMNIST…): a directory holding
/// <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>
/// and <c>t10k-labels-idx1-ubyte</c>, each optionally gzip-compressed (<c>.gz</c>).
/// </summary>
public static class IdxReader
{
    private static readonly string[] FashionClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>True when <paramref name="directory"/> holds the four IDX files.</summary>
    public static bool IsIdxDirectory(string directory) =>
        FindFile(directory, "train-images-idx3-ubyte") is not null && FindFile(directory, "train-labels-idx1-ubyte") is not null;

    /// <summary>Loads both splits from an IDX directory.</summary>
    public static Dataset Load(string directory)
    {
        var train = ReadSplit(directory, "train");
        var test = ReadSplit(directory, "t10k");
        int classCount = (int)Math.Max(Max(train.LabelArray), Max(test.LabelArray)) + 1;
        bool fashion = directory.Contains("fashion", StringComparison.OrdinalIgnoreCase) && classCount == FashionClassNames.Length;
        IReadOnlyList<string> names = fashion
            ? FashionClassNames
            : Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new Dataset(DatasetFormat.Idx, directory, train, test, names);
    }

    private static long Max(long[] values) => values.Length == 0 ? -1 : values.Max();

    private static ImageSet ReadSplit(string directory, string prefix)
    {
        string imagesPath = Require(directory, $"{prefix}-images-idx3-ubyte");
        string labelsPath = Require(directory, $"{prefix}-labels-idx1-ubyte");
        var (imageBytes, n, h, w) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != n)
        {
            throw new DaboException($"{labelsPath}: {labels.Length} labels for the {n} images of {imagesPath}; the files do not belong together, replace them with a matching pair");
        }
        var images = tensor(imageBytes, [n, 1, h, w], ScalarType.Byte);
        var labelTensor = tensor(labels.Select(b => (long)b).ToArray(), ScalarType.Int64);
        return new ImageSet(images, labelTensor);
    }

    private static string Require(string directory, string stem) =>
        FindFile(directory, stem) ?? throw new DaboException($"{directory}: missing IDX file '{stem}' (or '{stem}.gz'); an IDX dataset needs train-images, train-labels, t10k-images and t10k-labels files");

    private static string? FindFile(string directory, string stem)
    {
        foreach (var candidate in new[] { stem, stem + ".gz", stem.Replace("-idx", ".idx", StringComparison.Ordinal), stem.Replace("-idx", ".idx", StringComparison.Ordinal) + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>Reads a whole file, transparently decompressing gzip (detected by its magic bytes).</summary>
    internal static byte[] ReadMaybeGzip(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gz.CopyTo(output);
                return output.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new DaboException($"{path}: corrupt gzip data ({e.Message}); download the file again", e);
            }
        }
        return raw;
    }

    private static (byte[] Pixels, int N, int H, int W) ReadImages(string path)
    {
        byte[] data = ReadMaybeGzip(path);
        if (data.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(data) != 0x00000803)
        {
            throw new DaboException($"{path}: not an IDX image file (expected magic 0x00000803 for unsigned-byte images of rank 3); check the file or download it again");
        }
        int n = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        int h = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8));
        int w = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(12));
        long expected = 16L + ((long)n * h * w);
        if (n < 0 || h <= 0 || w <= 0 || data.Length != expected)
        {
            throw new DaboException($"{path}: truncated or corrupt IDX file: header says {n} images of {h}x{w} ({expected} bytes) but the file has {data.Length} bytes; download it again");
        }
        return (data.AsSpan(16).ToArray(), n, h, w);
    }

    private static byte[] ReadLabels(string path)
    {
        byte[] data = ReadMaybeGzip(path);
        if (data.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(data) != 0x00000801)
        {
            throw new DaboException($"{path}: not an IDX label file (expected magic 0x00000801); check the file or download it again");
        }
        int n = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4));
        if (n < 0 || data.Length != 8L + n)
        {
            throw new DaboException($"{path}: truncated or corrupt IDX label file: header says {n} labels but the file has {data.Length - 8} label bytes; download it again");
        }
        return data.AsSpan(8).ToArray();
    }
}
