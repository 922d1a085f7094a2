using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Resizes uint8 images to a square size with TorchVision's bilinear, antialiased resize (as
/// PyTorch's torchvision does by default), the aspect ratio not kept; used by <c>--image-size</c>.
/// </summary>
public static class ImageResize
{
    /// <summary>
    /// A new uint8 tensor of <paramref name="images"/> (<c>[C, H, W]</c> or <c>[N, C, H, W]</c>, uint8)
    /// resized to <paramref name="size"/>×<paramref name="size"/>, rounded to the nearest level.
    /// </summary>
    public static Tensor Square(Tensor images, int size) => To(images, size, size);

    /// <summary>
    /// A new uint8 tensor of <paramref name="images"/> (<c>[C, H, W]</c> or <c>[N, C, H, W]</c>, uint8) resized to
    /// <paramref name="height"/>×<paramref name="width"/> the same way as <see cref="Square(Tensor, int)"/>.
    /// </summary>
    public static Tensor To(Tensor images, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (images.shape[^2] == height && images.shape[^1] == width)
        {
            return images.clone();
        }
        using var scope = NewDisposeScope();
        var batch = images.dim() == 3 ? images.unsqueeze(0) : images;
        var unit = batch.to_type(ScalarType.Float32);
        var resized = torchvision.transforms.functional.resize(unit, height, width, InterpolationMode.Bilinear, null, antialias: true);
        var bytes = resized.round_().clamp_(0, 255).to_type(ScalarType.Byte);
        var result = images.dim() == 3 ? bytes.squeeze(0) : bytes;
        return result.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>A new set with every image of <paramref name="set"/> resized (in chunks, to bound the float copy).</summary>
    public static ImageSet Square(ImageSet set, int size)
    {
        const int Chunk = 1024;
        var parts = new List<Tensor>();
        try
        {
            for (long start = 0; start < set.Count; start += Chunk)
            {
                using var slice = set.Images.narrow(0, start, Math.Min(Chunk, set.Count - start));
                parts.Add(Square(slice, size));
            }
            var images = parts.Count == 0
                ? zeros([0, set.Shape[0], size, size], ScalarType.Byte)
                : cat(parts, 0);
            return new ImageSet(images, set.Labels.clone());
        }
        finally
        {
            foreach (var p in parts)
            {
                p.Dispose();
            }
        }
    }
}
