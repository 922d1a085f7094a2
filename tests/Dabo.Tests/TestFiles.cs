using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests;

/// <summary>A temporary directory deleted at the end of a test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dabo-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Writers of small datasets in every supported format, made by the tests themselves.</summary>
public static class TestFiles
{
    /// <summary>Deterministic pixel value of image i, channel c, position (y, x).</summary>
    public static byte Pixel(int i, int c, int y, int x) => (byte)((i * 37) + (c * 11) + (y * 5) + (x * 3));

    public static byte[] IdxImages(int n, int h, int w)
    {
        var data = new byte[16 + (n * h * w)];
        BinaryPrimitives.WriteInt32BigEndian(data, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), h);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), w);
        for (int i = 0; i < n; i++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    data[16 + (i * h * w) + (y * w) + x] = Pixel(i, 0, y, x);
                }
            }
        }
        return data;
    }

    public static byte[] IdxLabels(int n, int classes)
    {
        var data = new byte[8 + n];
        BinaryPrimitives.WriteInt32BigEndian(data, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), n);
        for (int i = 0; i < n; i++)
        {
            data[8 + i] = (byte)(i % classes);
        }
        return data;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Writes raw IDX files of square grayscale images (pixels n×size×size, labels n) for both splits.</summary>
    public static void WriteIdxDataset(string dir, int size, (byte[] Pixels, byte[] Labels) train, (byte[] Pixels, byte[] Labels) test)
    {
        Directory.CreateDirectory(dir);
        foreach (var (prefix, split) in new[] { ("train", train), ("t10k", test) })
        {
            int n = split.Labels.Length;
            var images = new byte[16 + split.Pixels.Length];
            BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), n);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), size);
            BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), size);
            split.Pixels.CopyTo(images, 16);
            var labels = new byte[8 + n];
            BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
            BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), n);
            split.Labels.CopyTo(labels, 8);
            File.WriteAllBytes(System.IO.Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), images);
            File.WriteAllBytes(System.IO.Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), labels);
        }
    }

    /// <summary>Writes an IDX dataset (train n, test nTest, 10 classes, h×w) into dir.</summary>
    public static void WriteIdx(string dir, int n = 40, int nTest = 20, int h = 8, int w = 6, bool gzip = true)
    {
        Directory.CreateDirectory(dir);
        void Write(string name, byte[] data) => File.WriteAllBytes(System.IO.Path.Combine(dir, gzip ? name + ".gz" : name), gzip ? Gzip(data) : data);
        Write("train-images-idx3-ubyte", IdxImages(n, h, w));
        Write("train-labels-idx1-ubyte", IdxLabels(n, 10));
        Write("t10k-images-idx3-ubyte", IdxImages(nTest, h, w));
        Write("t10k-labels-idx1-ubyte", IdxLabels(nTest, 10));
    }

    /// <summary>CIFAR binary records: labelBytes label bytes then 3×32×32 pixels.</summary>
    public static byte[] CifarRecords(int n, int labelBytes, int classes, int offset = 0)
    {
        int record = labelBytes + 3072;
        var data = new byte[n * record];
        for (int i = 0; i < n; i++)
        {
            int o = i * record;
            data[o + labelBytes - 1] = (byte)((i + offset) % classes);
            for (int c = 0; c < 3; c++)
            {
                for (int y = 0; y < 32; y++)
                {
                    for (int x = 0; x < 32; x++)
                    {
                        data[o + labelBytes + (c * 1024) + (y * 32) + x] = Pixel(i + offset, c, y, x);
                    }
                }
            }
        }
        return data;
    }

    /// <summary>A CIFAR-10 binary directory: 5 train batches of perBatch records and a test batch.</summary>
    public static Dictionary<string, byte[]> Cifar10Files(int perBatch = 4, int test = 6)
    {
        var files = new Dictionary<string, byte[]>();
        for (int b = 1; b <= 5; b++)
        {
            files[$"cifar-10-batches-bin/data_batch_{b}.bin"] = CifarRecords(perBatch, 1, 10, (b - 1) * perBatch);
        }
        files["cifar-10-batches-bin/test_batch.bin"] = CifarRecords(test, 1, 10);
        files["cifar-10-batches-bin/batches.meta.txt"] = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n"u8.ToArray();
        return files;
    }

    public static void WriteFiles(string root, Dictionary<string, byte[]> files)
    {
        foreach (var (name, data) in files)
        {
            string path = System.IO.Path.Combine(root, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data);
        }
    }

    public static void WriteTar(string archive, Dictionary<string, byte[]> files, bool gzip)
    {
        using var file = File.Create(archive);
        Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using (var tar = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: false))
        {
            foreach (var (name, data) in files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) };
                tar.WriteEntry(entry);
            }
        }
    }

    /// <summary>A PNG of a small RGB (or grey) pattern for image i.</summary>
    public static byte[] Png(int i, int channels = 3, int h = 8, int w = 8)
    {
        ImageFolderReader.EnsureImager();
        var pixels = new byte[channels * h * w];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    pixels[(c * h * w) + (y * w) + x] = Pixel(i, c, y, x);
                }
            }
        }
        using var t = tensor(pixels, [channels, h, w], ScalarType.Byte);
        using var stream = new MemoryStream();
        torchvision.io.DefaultImager.EncodeImage(t, torchvision.ImageFormat.Png, stream);
        return stream.ToArray();
    }

    /// <summary>Image-folder entries: classes × perClass train images, classes × valPerClass val images (none by default), classes × testPerClass test images.</summary>
    public static Dictionary<string, byte[]> ImageFolderFiles(int classes = 3, int perClass = 4, int testPerClass = 2, int channels = 3, string prefix = "", int valPerClass = 0)
    {
        var files = new Dictionary<string, byte[]>();
        int i = 0;
        for (int c = 0; c < classes; c++)
        {
            for (int k = 0; k < perClass; k++)
            {
                files[$"{prefix}train/class{c}/{k:D3}.png"] = Png(i++, channels);
            }
            for (int k = 0; k < testPerClass; k++)
            {
                files[$"{prefix}test/class{c}/{k:D3}.png"] = Png(i++, channels);
            }
        }
        // Validation images come after all others, so that adding them leaves the other pixels unchanged.
        for (int c = 0; c < classes; c++)
        {
            for (int k = 0; k < valPerClass; k++)
            {
                files[$"{prefix}val/class{c}/{k:D3}.png"] = Png(i++, channels);
            }
        }
        return files;
    }
}
