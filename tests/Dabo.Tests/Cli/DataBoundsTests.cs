using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Cli;

/// <summary>
/// Resource bounds and data checks (issue 20, items 3 and 6): images refused from their header above the pixel
/// limit, truncated images and one-class datasets refused naming the file or dataset, sizes in 64 bits, mixed
/// grayscale and colour images converted to RGB, <c>--policy-val-images</c> capped at its split.
/// </summary>
[Collection("global-rng")]
public class DataBoundsTests
{
    /// <summary>Writes an image folder (3 classes, 4 train and 2 test images each, 16×16) into DIR/name, then applies <paramref name="damage"/>.</summary>
    private static string WriteFolder(TempDirectory dir, string name, int classes = 3, Action<string>? damage = null)
    {
        string root = dir.Combine(name);
        var files = new Dictionary<string, byte[]>();
        int i = 0;
        for (int c = 0; c < classes; c++)
        {
            for (int k = 0; k < 4; k++)
            {
                files[$"train/class{c}/{k:D3}.png"] = TestFiles.Png(i++, 3, 16, 16);
            }
            for (int k = 0; k < 2; k++)
            {
                files[$"test/class{c}/{k:D3}.png"] = TestFiles.Png(i++, 3, 16, 16);
            }
        }
        TestFiles.WriteFiles(root, files);
        damage?.Invoke(root);
        return root;
    }

    // Cuts the file halfway through its pixel data (PNG: the IDAT chunk; JPEG: after the start-of-scan marker), so that
    // the header reads and the decoder runs out of input; with `header`, inside the header instead.
    private static void Truncate(string file, bool header = false)
    {
        byte[] bytes = File.ReadAllBytes(file);
        int start = bytes.AsSpan().IndexOf(bytes[0] == 0xFF ? [0xFF, 0xDA] : "IDAT"u8);
        Assert.True(start > 0, file);
        File.WriteAllBytes(file, bytes[..(header ? start / 2 : start + ((bytes.Length - start) / 2))]);
    }

    private static byte[] Jpeg(int i)
    {
        ImageFolderReader.EnsureImager();
        using var t = tensor(Enumerable.Range(0, 3 * 16 * 16).Select(k => (byte)((k * 7) + (i * 13))).ToArray(), [3, 16, 16], ScalarType.Byte);
        using var stream = new MemoryStream();
        torchvision.io.DefaultImager.EncodeImage(t, torchvision.ImageFormat.Jpeg, stream);
        return stream.ToArray();
    }

    /// <summary>A valid PNG whose header claims <paramref name="width"/>×<paramref name="height"/> RGB pixels, with a tiny image data chunk: 100 bytes.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        Chunk(output, "IHDR", header);
        using (var zlib = new MemoryStream())
        {
            using (var z = new ZLibStream(zlib, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(new byte[64]);
            }
            Chunk(output, "IDAT", zlib.ToArray());
        }
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        output.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        output.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    public static TheoryData<string, string, string[], string> Refusals => new()
    {
        // name, dataset kind (see Make), extra arguments, expected message part
        { "train: PNG claiming 20000x20000 pixels", "huge", [], "'train/class1/002.png' is 20000x20000 (400 megapixels), above the limit of 50 megapixels per image; shrink or remove it, or raise the limit with --max-image-pixels 400000000" },
        { "data: PNG claiming 20000x20000 pixels", "huge", ["data"], "'train/class1/002.png' is 20000x20000" },
        { "train: PNG claiming 20000x20000 pixels inside a .tar.gz", "huge-tar", [], "huge.tar.gz: 'train/class1/002.png' is 20000x20000 (400 megapixels)" },
        { "train: a 16x16 image above --max-image-pixels 200", "plain", ["--max-image-pixels", "200"], "is 16x16 (256 pixels), above the limit of 200 pixels per image; shrink or remove it, or raise the limit with --max-image-pixels 256" },
        { "train: --max-image-pixels 0", "plain", ["--max-image-pixels", "0"], "--max-image-pixels 0: out of range" },
        { "train: PNG cut to half its length", "truncated-png", [], "'train/class0/001.png' is truncated (the file ends before the image does)" },
        { "data: PNG cut to half its length", "truncated-png", ["data"], "'train/class0/001.png' is truncated" },
        { "train: JPEG cut to half its length", "truncated-jpeg", [], "'test/class2/000.jpg' is truncated (the file ends before the image does)" },
        { "train: PNG cut inside its header", "truncated-header", [], "'train/class1/000.png' is truncated (the file ends inside its header)" },
        { "train: image folder of one class", "one-class", [], "one class only (train/class0/); a classifier needs at least two classes" },
        { "train: IDX dataset whose labels are all one class", "one-label", [], "the training split holds one class only ('0'); a classifier needs at least two classes" },
        { "compare: image folder of one class", "one-class", ["compare"], "one class only (train/class0/)" },
    };

    private static string Make(TempDirectory dir, string kind) => kind switch
    {
        "huge" => WriteFolder(dir, "huge", damage: root => File.WriteAllBytes(Path.Combine(root, "train", "class1", "002.png"), PngClaiming(20000, 20000))),
        "huge-tar" => HugeArchive(dir),
        "plain" => WriteFolder(dir, "plain"),
        "truncated-png" => WriteFolder(dir, "trunc", damage: root => Truncate(Path.Combine(root, "train", "class0", "001.png"))),
        "truncated-jpeg" => WriteFolder(dir, "truncj", damage: root =>
        {
            string file = Path.Combine(root, "test", "class2", "000.jpg");
            File.WriteAllBytes(file, Jpeg(5));
            Truncate(file);
        }),
        "truncated-header" => WriteFolder(dir, "trunch", damage: root => Truncate(Path.Combine(root, "train", "class1", "000.png"), header: true)),
        "one-class" => WriteFolder(dir, "one", classes: 1),
        "one-label" => WriteOneLabelIdx(dir.Combine("onelabel")),
        _ => throw new ArgumentException(kind),
    };

    private static string HugeArchive(TempDirectory dir)
    {
        string root = Make(dir, "huge");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
        string archive = dir.Combine("huge.tar.gz");
        TestFiles.WriteTar(archive, files, gzip: true);
        return archive;
    }

    private static string WriteOneLabelIdx(string root)
    {
        TestFiles.WriteIdxDataset(root, 8, (TestFiles.IdxImages(20, 8, 8)[16..], new byte[20]), (TestFiles.IdxImages(10, 8, 8)[16..], new byte[10]));
        return root;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_in_one_line_naming_the_file_with_nothing_in_out(string name, string kind, string[] extra, string expected)
    {
        using var dir = new TempDirectory();
        string dataset = Make(dir, kind);
        string[] args = extra is ["data", ..]
            ? ["data", dataset, "--cache-dir", "DIR/cache"]
            : extra is ["compare", ..]
                ? ["compare", "--dataset", dataset, "--train-size", "0", "--epochs", "1", "--cache-dir", "DIR/cache", "--out", "OUT"]
                : ["train", "--dataset", dataset, "--train-size", "0", "--epochs", "1", "--cache-dir", "DIR/cache", "--out", "OUT", .. extra];

        string line = BadInputTests.AssertRefused(dir, args, expected);

        Assert.True(kind is "one-label" or "plain" || line.Contains(dataset, StringComparison.Ordinal), $"{name}: {line}");
        Assert.False(Directory.Exists(dir.Combine("out")), name);
    }

    [Fact]
    public void Raising_max_image_pixels_admits_the_image_the_default_refuses()
    {
        using var dir = new TempDirectory();
        string dataset = WriteFolder(dir, "plain");
        BadInputTests.AssertRefused(dir, ["data", dataset, "--max-image-pixels", "255", "--cache-dir", "DIR/cache"], "--max-image-pixels 256");

        var (code, output, err) = CliRunner.Run("data", dataset, "--max-image-pixels", "256", "--json", "--cache-dir", dir.Combine("cache"));

        Assert.True(code == 0, err);
        Assert.Equal(12, JsonDocument.Parse(output).RootElement.GetProperty("train").GetInt32());
    }

    [Theory]
    [InlineData("grayscale image first", "train/class0/000.png")]
    [InlineData("colour image first", "train/class2/003.png")]
    public void Mixed_grayscale_and_colour_images_are_read_as_RGB_and_said_so(string name, string grayFile)
    {
        using var dir = new TempDirectory();
        string dataset = WriteFolder(dir, "mixed", damage: root => File.WriteAllBytes(Path.Combine(root, grayFile), TestFiles.Png(99, 1, 16, 16)));

        var (code, output, err) = CliRunner.Run("data", dataset, "--json", "--cache-dir", dir.Combine("cache"));
        Assert.True(code == 0, $"{name}: {err}");
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, json.GetProperty("channels").GetInt32());
        Assert.Equal(1, json.GetProperty("grayscale_converted_to_rgb").GetInt32());

        // Said in the table too, also when read back from the decoded cache.
        var (tableCode, table, _) = CliRunner.Run("data", dataset, "--cache-dir", dir.Combine("cache"));
        Assert.Equal(0, tableCode);
        Assert.Contains("1 converted to RGB", table);

        // The grey image's three channels are its one grey channel, repeated.
        using var loaded = ImageFolderReader.Load(dataset);
        using var image = loaded.Train.Images[FindImage(loaded, grayFile, dataset)];
        Assert.True(image[0].eq(image[1]).all().item<bool>() && image[1].eq(image[2]).all().item<bool>(), name);
        Assert.Equal(TestFiles.Pixel(99, 0, 3, 5), image[1, 3, 5].item<byte>());

        var (trainCode, _, trainErr) = CliRunner.Run("train", "--dataset", dataset, "--train-size", "0", "--epochs", "1", "--cache-dir", dir.Combine("cache"), "--out", dir.Combine("run"), "--quiet");
        Assert.True(trainCode == 0, trainErr);
    }

    // The training image whose pixels are the grey test pattern 99 (labels and order are the reader's own).
    private static long FindImage(Dataset dataset, string grayFile, string root)
    {
        byte expected = TestFiles.Pixel(99, 0, 3, 5);
        for (long i = 0; i < dataset.Train.Count; i++)
        {
            using var image = dataset.Train.Images[i];
            if (image[0, 3, 5].item<byte>() == expected && image[0].eq(image[2]).all().item<bool>())
            {
                return i;
            }
        }
        throw new InvalidOperationException($"{grayFile} not found in {root}");
    }

    [Fact]
    public void Policy_val_images_above_the_split_are_capped_with_a_warning()
    {
        using var dir = new TempDirectory();
        Training.TrainingData.WriteSeparable(dir.Combine("data"), train: 40, test: 16);

        var (code, _, err) = CliRunner.Run("train", "--dataset", dir.Combine("data"), "--train-size", "0", "--epochs", "1", "--augment", "learned-policy",
            "--policy-update-every", "1", "--policy-val-images", "100000", "--out", dir.Combine("run"), "--quiet");

        Assert.True(code == 0, err);
        Assert.Contains("dabo: warning: --policy-val-images 100000: more than the 8 images of the validation split; each validation gradient uses all 8", err);
    }

    public static TheoryData<string, (string, int)[], int, int, string> Sizes => new()
    {
        { "one split beyond one array", [("train", 2_000_000)], 3, 1024, "the train split decodes to 6291.5 GB (2000000 images of 3x1024x1024), more than one array can hold" },
        { "int overflow of N*C*H*W", [("test", int.MaxValue)], 3, 1024, "the test split decodes to" },
        { "splits that fit arrays but not memory", [.. Enumerable.Range(0, 4000).Select(i => ($"s{i}", 600))], 3, 1024, "of memory" },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Decoded_sizes_are_computed_in_64_bits_and_refused_in_one_line(string name, (string, int)[] splits, int channels, int size, string expected)
    {
        var e = Assert.Throws<DaboException>(() => DecodedSize.Check("DATA", splits, channels, size, size));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("DATA: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("--image-size", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(name);
    }
}
