using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Reads an image-folder dataset, <c>ROOT/train/&lt;class&gt;/*</c>, optionally <c>ROOT/val/&lt;class&gt;/*</c>
/// (then the validation split) and <c>ROOT/test/&lt;class&gt;/*</c> (JPEG, PNG, BMP, WebP, GIF), from a
/// directory or a <c>.tar</c> / <c>.tar.gz</c> archive, decoding with TorchVision's SkiaSharp imager on
/// all cores, optionally resized to a square size at decode. Class labels follow the ordinal order of
/// the class folder names. A dataset of grayscale images stays single-channel; when any image is in colour,
/// every image is decoded as RGB (grayscale ones repeated into three channels).
/// </summary>
public static class ImageFolderReader
{
    /// <summary>File extensions read as images (case-insensitive).</summary>
    internal static readonly HashSet<string> ImageExtensions =
        new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif" };

    private static readonly Lock ImagerLock = new();

    /// <summary>True when the listed names contain <c>train/&lt;class&gt;/&lt;image&gt;</c> entries.</summary>
    public static bool Recognizes(IEnumerable<string> names) =>
        names.Any(n => Parse(n) is { Split: "train" });

    /// <summary>Decodes the splits (no caching; see <see cref="DatasetLoader"/> for the cache).</summary>
    /// <param name="path">The directory or archive.</param>
    /// <param name="imageSize">Resize every image to this height and width at decode; null keeps the sizes (which must then agree).</param>
    /// <param name="maxImagePixels">Refuse images with more pixels than this, read from their headers before decoding (null: <see cref="ImageCodec.DefaultMaxPixels"/>).</param>
    public static Dataset Load(string path, int? imageSize = null, long? maxImagePixels = null)
    {
        var entries = new List<(string Split, string Class, string Name, byte[] Data)>();
        SourceFiles.ForEach(path, n => Parse(n) is not null, (name, data) =>
        {
            var p = Parse(name)!.Value;
            entries.Add((p.Split, p.Class, name, data));
        });

        var trainEntries = entries.Where(e => e.Split == "train").ToList();
        var valEntries = entries.Where(e => e.Split == "val").ToList();
        var testEntries = entries.Where(e => e.Split == "test").ToList();
        if (trainEntries.Count == 0)
        {
            throw new DaboException($"{path}: no images under train/<class>/; an image folder needs train/<class>/* and test/<class>/*");
        }
        if (testEntries.Count == 0)
        {
            throw new DaboException($"{path}: no images under test/<class>/; an image folder needs train/<class>/* and test/<class>/*");
        }
        var classes = trainEntries.Select(e => e.Class).Distinct().Order(StringComparer.Ordinal).ToList();
        CheckEmptyClassFolders(path, classes);
        foreach (var (split, splitEntries) in new[] { ("val", valEntries), ("test", testEntries) })
        {
            foreach (var missing in splitEntries.Select(e => e.Class).Distinct().Where(c => !classes.Contains(c)))
            {
                throw new DaboException($"{path}: class '{missing}' has {split} images but no training images in train/{missing}/; add training images or remove the class");
            }
        }
        if (classes.Count < 2)
        {
            throw new DaboException($"{path}: one class only (train/{classes[0]}/); a classifier needs at least two classes: add a class folder under train/ and test/");
        }
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => (long)t.i);

        // Every header is read before any pixel is decoded: sizes, the pixel limit and the channels are settled first.
        var all = trainEntries.Concat(valEntries).Concat(testEntries).ToList();
        var headers = ImageCodec.ReadAll(path, all.Select(e => (e.Name, e.Data)).ToList(), maxImagePixels ?? ImageCodec.DefaultMaxPixels);
        var first = headers[0];
        if (imageSize is null)
        {
            foreach (var other in headers.Where(h => h.Width != first.Width || h.Height != first.Height).Take(1))
            {
                throw new DaboException($"{path}: '{other.Name}' is {other.Width}x{other.Height} but '{first.Name}' is {first.Width}x{first.Height}; all images of a dataset must have one size: pass --image-size N (e.g. --image-size {Math.Min(first.Width, first.Height)}) to resize them at decode");
            }
        }
        // Any colour image makes the dataset RGB: grayscale images are repeated into three channels (lossless), not refused.
        int grayscale = headers.Count(h => h.IsGrayscale);
        int channels = grayscale == headers.Count ? 1 : 3;
        int height = imageSize ?? first.Height;
        int width = imageSize ?? first.Width;
        DecodedSize.Check(path, [("train", trainEntries.Count), ("val", valEntries.Count), ("test", testEntries.Count)], channels, height, width);

        var train = DecodeSplit(path, trainEntries, classIndex, channels, height, width, imageSize is not null);
        var validation = valEntries.Count > 0 ? DecodeSplit(path, valEntries, classIndex, channels, height, width, imageSize is not null) : null;
        var test = DecodeSplit(path, testEntries, classIndex, channels, height, width, imageSize is not null);
        return new Dataset(DatasetFormat.ImageFolder, path, train, test, classes, validation)
        {
            GrayscaleConvertedToRgb = channels == 3 ? grayscale : 0,
        };
    }

    // Dabo's own encoder (previews): never changes torchvision.io.DefaultImager, which belongs to the application.
    internal static readonly torchvision.io.SkiaImager Imager = new();

    /// <summary>Selects SkiaSharp as TorchVision's process-wide image codec (idempotent); Dabo itself decodes with its own instance and never calls this.</summary>
    public static void EnsureImager()
    {
        lock (ImagerLock)
        {
            if (torchvision.io.DefaultImager is not torchvision.io.SkiaImager)
            {
                torchvision.io.DefaultImager = new torchvision.io.SkiaImager();
            }
        }
    }

    private static ImageSet DecodeSplit(string path, List<(string Split, string Class, string Name, byte[] Data)> entries,
        Dictionary<string, long> classIndex, int channels, int height, int width, bool resize)
    {
        long perImage = (long)channels * height * width;
        var pixels = new byte[entries.Count * perImage];
        var labels = new long[entries.Count];
        Exception? failure = null;
        Parallel.For(0, entries.Count, (i, state) =>
        {
            try
            {
                var e = entries[i];
                using var decoded = ImageCodec.Decode(path, e.Name, e.Data, rgb: channels == 3);
                using var image = resize ? ImageResize.Square(decoded, height) : decoded.alias();
                image.data<byte>().CopyTo(pixels, checked((int)(i * perImage)));
                labels[i] = classIndex[e.Class];
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
                state.Stop();
            }
        });
        if (failure is not null)
        {
            throw failure is DaboException ? failure : new DaboException(failure.Message, failure);
        }
        return new ImageSet(tensor(pixels, [entries.Count, channels, height, width], ScalarType.Byte), tensor(labels, ScalarType.Int64));
    }

    private static void CheckEmptyClassFolders(string path, List<string> classes)
    {
        if (!Directory.Exists(path))
        {
            return;
        }
        string trainRoot = Path.Combine(path, "train");
        if (!Directory.Exists(trainRoot))
        {
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(trainRoot))
        {
            string name = Path.GetFileName(dir);
            if (!classes.Contains(name))
            {
                throw new DaboException($"{dir}: empty class folder (no JPEG/PNG images); add images or remove the folder");
            }
        }
    }

    /// <summary>Splits <c>[prefix/]split/class/file.ext</c> into split and class, or null.</summary>
    internal static (string Split, string Class)? Parse(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !ImageExtensions.Contains(Path.GetExtension(parts[^1])) || parts[^1].StartsWith('.'))
        {
            return null;
        }
        string split = parts[^3];
        return split is "train" or "val" or "test" ? (split, parts[^2]) : null;
    }
}
