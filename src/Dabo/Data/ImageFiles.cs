using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Image files to classify: paths (files, or folders searched recursively for images) expanded to a sorted list,
/// and decoded into one uint8 batch of a classifier's input shape.
/// </summary>
public static class ImageFiles
{
    /// <summary>
    /// The image files named by <paramref name="paths"/>: a file as given, a folder's images (JPEG, PNG, BMP, WebP, GIF;
    /// recursively, hidden files skipped) in ordinal order of their paths. Duplicates are kept once.
    /// </summary>
    /// <exception cref="DaboException">A path that does not exist, or no image at all (one line).</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            IEnumerable<string> found;
            if (Directory.Exists(path))
            {
                found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => ImageFolderReader.ImageExtensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal);
            }
            else if (File.Exists(path))
            {
                found = [path];
            }
            else
            {
                throw new DaboException($"{path}: no such file or folder; pass image files or folders of images");
            }
            files.AddRange(found.Where(f => seen.Add(Path.GetFullPath(f))));
        }
        if (files.Count == 0)
        {
            throw new DaboException($"{string.Join(", ", paths)}: no images (JPEG, PNG, BMP, WebP, GIF) found; pass image files or folders of images");
        }
        return files;
    }

    /// <summary>
    /// Decodes <paramref name="files"/> into uint8 images <c>[N, channels, height, width]</c>: grayscale or RGB as
    /// <paramref name="channels"/> says, resized (bilinear, antialiased, aspect ratio not kept, as <c>--image-size</c>
    /// does in training) where a file has another size.
    /// </summary>
    /// <exception cref="DaboException">Files that cannot be read or decoded, all named in one line.</exception>
    public static Tensor Read(IReadOnlyList<string> files, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(files);
        ImageFolderReader.EnsureImager();
        int perImage = channels * height * width;
        var pixels = new byte[(long)files.Count * perImage];
        var bad = new string?[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                byte[] bytes = File.ReadAllBytes(files[i]);
                using var decoded = ImageCodec.Decode(files[i], Path.GetFileName(files[i]), bytes, rgb: channels == 3);
                using var image = ImageResize.To(decoded, height, width);
                image.data<byte>().CopyTo(pixels, checked(i * perImage));
            }
            catch (Exception e) when (e is DaboException or IOException or UnauthorizedAccessException)
            {
                bad[i] = files[i];
            }
        });
        var failed = bad.Where(f => f is not null).ToList();
        if (failed.Count > 0)
        {
            const int Shown = 5;
            string more = failed.Count > Shown ? $" and {failed.Count - Shown} more" : "";
            throw new DaboException($"{failed.Count} file(s) cannot be read as images: {string.Join(", ", failed.Take(Shown))}{more}; remove them or pass only images");
        }
        return tensor(pixels, [files.Count, channels, height, width], ScalarType.Byte);
    }
}
