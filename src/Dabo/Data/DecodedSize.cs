using System.Globalization;

namespace Dabo.Data;

/// <summary>
/// The memory a decoded dataset takes (N×C×H×W bytes per split, computed in 64 bits), checked before
/// decoding: a split larger than one .NET array, or a dataset that does not fit in the memory left, is
/// refused in one line instead of failing mid-decode (OverflowException, or the machine swapping).
/// </summary>
public static class DecodedSize
{
    // The pixel array is copied once into the tensor (and once more when the decoded cache is written).
    private const long Copies = 2;

    /// <summary>Refuses splits of <paramref name="splits"/> images of C×H×W bytes that cannot be held in memory.</summary>
    /// <param name="source">The dataset, for the message.</param>
    /// <param name="splits">Each split's name and image count.</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Height after decoding (and resizing).</param>
    /// <param name="width">Width after decoding (and resizing).</param>
    public static void Check(string source, IEnumerable<(string Split, int Count)> splits, int channels, int height, int width)
    {
        long perImage = (long)channels * height * width;
        long total = 0;
        foreach (var (split, count) in splits)
        {
            long bytes = count * perImage;
            if (bytes > Array.MaxLength)
            {
                throw new DaboException(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: the {split} split decodes to {Gigabytes(bytes)} ({count} images of {channels}x{height}x{width}), more than one array can hold ({Gigabytes(Array.MaxLength)}); pass a smaller --image-size"));
            }
            total += bytes;
        }
        long available = SystemMemory.AvailableBytes();
        if (total * Copies > available)
        {
            throw new DaboException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: the decoded images need about {Gigabytes(total * Copies)} of memory ({Gigabytes(total)} of pixels of {channels}x{height}x{width}) but {Gigabytes(available)} is available; pass a smaller --image-size"));
        }
    }

    private static string Gigabytes(long bytes) => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB";
}
