using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Reads an image-folder dataset, <c>ROOT/train/&lt;class&gt;/*</c>, optionally <c>ROOT/val/&lt;class&gt;/*</c>
/// (then the validation split) and <c>ROOT/test/&lt;class&gt;/*</c> (JPEG, PNG, BMP, WebP, GIF), from a
/// directory or a <c>.tar</c> / <c>.tar.gz</c> archive, decoding with TorchVision's SkiaSharp imager on
/// all cores, optionally resized to a square size at decode. Class labels follow the ordinal order of
/// the class folder names. Grayscale sources stay single-channel; anything else is decoded as RGB.
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
    public static Dataset Load(string path, int? imageSize = null)
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
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => (long)t.i);

        var first = trainEntries[0];
        using var probe = Decode(path, first.Name, first.Data, torchvision.io.ImageReadMode.UNCHANGED);
        int channels = probe.shape[0] is 1 or 2 ? 1 : 3;
        int height = imageSize ?? (int)probe.shape[1];
        int width = imageSize ?? (int)probe.shape[2];
        var mode = channels == 1 ? torchvision.io.ImageReadMode.GRAY : torchvision.io.ImageReadMode.RGB;

        var train = DecodeSplit(path, trainEntries, first.Name, classIndex, mode, channels, height, width, imageSize is not null);
        var validation = valEntries.Count > 0 ? DecodeSplit(path, valEntries, first.Name, classIndex, mode, channels, height, width, imageSize is not null) : null;
        var test = DecodeSplit(path, testEntries, first.Name, classIndex, mode, channels, height, width, imageSize is not null);
        return new Dataset(DatasetFormat.ImageFolder, path, train, test, classes, validation);
    }

    // Dabo's own codec: decoding never changes torchvision.io.DefaultImager, which belongs to the application.
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

    private static ImageSet DecodeSplit(string path, List<(string Split, string Class, string Name, byte[] Data)> entries, string firstName,
        Dictionary<string, long> classIndex, torchvision.io.ImageReadMode mode, int channels, int height, int width, bool resize)
    {
        int perImage = channels * height * width;
        var pixels = new byte[(long)entries.Count * perImage];
        var labels = new long[entries.Count];
        Exception? failure = null;
        Parallel.For(0, entries.Count, (i, state) =>
        {
            try
            {
                var e = entries[i];
                using var decoded = Decode(path, e.Name, e.Data, mode);
                using var image = resize ? ImageResize.Square(decoded, height) : decoded.alias();
                if (image.shape[0] != channels || image.shape[1] != height || image.shape[2] != width)
                {
                    throw new DaboException($"{path}: '{e.Name}' is {image.shape[2]}x{image.shape[1]} with {image.shape[0]} channel(s) but '{firstName}' is {width}x{height} with {channels}; all images of a dataset must have one size: pass --image-size N (e.g. --image-size {Math.Min(width, height)}) to resize them at decode");
                }
                image.data<byte>().CopyTo(pixels, checked(i * perImage));
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

    /// <summary>Decodes one image (<c>[C, H, W]</c> uint8); an undecodable one is a <see cref="DaboException"/> naming <paramref name="path"/> and <paramref name="name"/>.</summary>
    internal static Tensor Decode(string path, string name, byte[] data, torchvision.io.ImageReadMode mode)
    {
        Tensor? image = null;
        try
        {
            image = Imager.DecodeImage(data, mode);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DaboException($"{path}: cannot decode image '{name}' ({e.GetType().Name}); the file is corrupt or not an image, replace or remove it", e);
        }
        if (image is null || image.dim() != 3 || image.numel() == 0)
        {
            image?.Dispose();
            throw new DaboException($"{path}: cannot decode image '{name}'; the file is corrupt or not an image, replace or remove it");
        }
        return image;
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
