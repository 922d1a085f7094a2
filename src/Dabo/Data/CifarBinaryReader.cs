using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Reads CIFAR-10 (<c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>; records of
/// 1 label byte + 3072 pixel bytes) and CIFAR-100 (<c>train.bin</c>, <c>test.bin</c>; coarse and fine
/// label bytes + 3072 pixels, the fine label is used) from a directory or the official <c>.tar.gz</c>.
/// </summary>
public static class CifarBinaryReader
{
    private const int PixelBytes = 3 * 32 * 32;

    private static readonly string[] Cifar10Names =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>True when the listed file names look like a CIFAR binary release.</summary>
    public static bool Recognizes(IEnumerable<string> names) =>
        names.Any(n => FileName(n) is "data_batch_1.bin" or "train.bin");

    /// <summary>Loads both splits from a directory or archive.</summary>
    public static Dataset Load(string path)
    {
        var files = new Dictionary<string, (string Name, byte[] Data)>(StringComparer.Ordinal);
        SourceFiles.ForEach(path, n => FileName(n).EndsWith(".bin", StringComparison.Ordinal) || FileName(n).EndsWith(".txt", StringComparison.Ordinal),
            (name, data) => files[FileName(name)] = (name, data));

        bool cifar10 = files.ContainsKey("data_batch_1.bin");
        string[] trainFiles = cifar10
            ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()
            : ["train.bin"];
        string testFile = cifar10 ? "test_batch.bin" : "test.bin";
        int labelBytes = cifar10 ? 1 : 2;

        var train = ReadSplit(path, files, trainFiles, labelBytes);
        var test = ReadSplit(path, files, [testFile], labelBytes);
        IReadOnlyList<string> names = ClassNames(files, cifar10, train, test);
        return new Dataset(DatasetFormat.CifarBinary, path, train, test, names);
    }

    private static string FileName(string name) => name[(name.LastIndexOf('/') + 1)..];

    private static ImageSet ReadSplit(string path, Dictionary<string, (string Name, byte[] Data)> files, string[] fileNames, int labelBytes)
    {
        int record = labelBytes + PixelBytes;
        var parts = new List<byte[]>();
        long total = 0;
        foreach (var fileName in fileNames)
        {
            if (!files.TryGetValue(fileName, out var file))
            {
                throw new DaboException($"{path}: missing CIFAR file '{fileName}'; the dataset is incomplete, download it again");
            }
            if (file.Data.Length == 0 || file.Data.Length % record != 0)
            {
                throw new DaboException($"{path}: '{file.Name}' has {file.Data.Length} bytes, not a multiple of the {record}-byte CIFAR record; the file is truncated or not CIFAR-{(labelBytes == 1 ? "10" : "100")}");
            }
            parts.Add(file.Data);
            total += file.Data.Length / record;
        }
        var pixels = new byte[total * PixelBytes];
        var labels = new long[total];
        long i = 0;
        foreach (var data in parts)
        {
            for (int offset = 0; offset < data.Length; offset += record, i++)
            {
                labels[i] = data[offset + labelBytes - 1];
                Buffer.BlockCopy(data, offset + labelBytes, pixels, (int)(i * PixelBytes), PixelBytes);
            }
        }
        var images = tensor(pixels, [total, 3, 32, 32], ScalarType.Byte);
        return new ImageSet(images, tensor(labels, ScalarType.Int64));
    }

    private static IReadOnlyList<string> ClassNames(Dictionary<string, (string Name, byte[] Data)> files, bool cifar10, ImageSet train, ImageSet test)
    {
        string metaName = cifar10 ? "batches.meta.txt" : "fine_label_names.txt";
        int classCount = (int)Math.Max(train.LabelArray.Max(), test.LabelArray.Max()) + 1;
        if (files.TryGetValue(metaName, out var meta))
        {
            var lines = System.Text.Encoding.UTF8.GetString(meta.Data)
                .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= classCount)
            {
                return lines;
            }
        }
        if (cifar10 && classCount <= Cifar10Names.Length)
        {
            return Cifar10Names;
        }
        return Enumerable.Range(0, classCount).Select(i => $"class{i}").ToArray();
    }
}
