using System.Globalization;
using SkiaSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>What an image file's header says, read without decoding its pixels.</summary>
/// <param name="Name">The file's name inside the dataset.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="IsGrayscale">True when the file stores one grey channel.</param>
public readonly record struct ImageInfo(string Name, int Width, int Height, bool IsGrayscale);

/// <summary>
/// Reads image headers and decodes images with SkiaSharp's <see cref="SKCodec"/>, so that what a file
/// claims (its size) is checked before any pixel memory is taken, and a file that ends before its image
/// does (<see cref="SKCodecResult.IncompleteInput"/>, which <c>SKBitmap.Decode</c> accepts) is refused
/// instead of being trained on with its missing rows filled in.
/// </summary>
public static class ImageCodec
{
    /// <summary>
    /// The default pixel limit per image: 50 megapixels. It admits every camera photograph up to 50 MP and
    /// any image of a learning dataset, while one decode of it stays near 1 GB (a 4-byte bitmap of 200 MB
    /// plus the tensor copies and the float copy of a resize); a 1.4 MB PNG claiming 20000×20000 pixels
    /// (400 MP) would otherwise take several gigabytes per decoding core.
    /// </summary>
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>The flag (and library option) that raises the limit.</summary>
    public const string MaxPixelsFlag = "--max-image-pixels";

    /// <summary>
    /// Reads every header (in parallel) and refuses, naming the file, one that is not an image or has more than
    /// <paramref name="maxPixels"/> pixels. Results are in the order of <paramref name="files"/>.
    /// </summary>
    /// <param name="source">The dataset, for the messages.</param>
    /// <param name="files">Names and encoded bytes.</param>
    /// <param name="maxPixels">Pixel limit per image.</param>
    public static IReadOnlyList<ImageInfo> ReadAll(string source, IReadOnlyList<(string Name, byte[] Data)> files, long maxPixels)
    {
        var infos = new ImageInfo[files.Count];
        Exception? failure = null;
        Parallel.For(0, files.Count, (i, state) =>
        {
            try
            {
                infos[i] = Read(source, files[i].Name, files[i].Data, maxPixels);
            }
            catch (DaboException e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                state.Stop();
            }
        });
        if (failure is not null)
        {
            throw failure;
        }
        return infos;
    }

    /// <summary>The header of one file, refused (naming the file, its size and the flag) above <paramref name="maxPixels"/> pixels.</summary>
    public static ImageInfo Read(string source, string name, byte[] data, long maxPixels)
    {
        using var codec = Open(source, name, data);
        var info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (pixels > maxPixels)
        {
            throw new DaboException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: '{name}' is {info.Width}x{info.Height} ({Pixels(pixels)}), above the limit of {Pixels(maxPixels)} per image; shrink or remove it, or raise the limit with {MaxPixelsFlag} {pixels}"));
        }
        return new ImageInfo(name, info.Width, info.Height, info.ColorType == SKColorType.Gray8);
    }

    private static string Pixels(long pixels) => pixels >= 100_000
        ? string.Create(CultureInfo.InvariantCulture, $"{pixels / 1e6:0.#} megapixels")
        : string.Create(CultureInfo.InvariantCulture, $"{pixels} pixels");

    /// <summary>Opens a codec on <paramref name="data"/> (reads the header only), or refuses naming the file.</summary>
    public static SKCodec Open(string source, string name, byte[] data)
    {
        SKCodec? codec = null;
        try
        {
            // The codec takes over the stream when it is created.
            var stream = new SKMemoryStream(data);
            codec = SKCodec.Create(stream, out var result);
            if (codec is null)
            {
                stream.Dispose();
            }
            if (codec is null && result == SKCodecResult.IncompleteInput)
            {
                throw new DaboException($"{source}: '{name}' is truncated (the file ends inside its header); replace or remove it");
            }
            if (codec is null || result != SKCodecResult.Success || codec.Info.Width <= 0 || codec.Info.Height <= 0)
            {
                throw new DaboException($"{source}: cannot decode image '{name}' (not a JPEG, PNG, BMP, WebP or GIF image, or its header is damaged); replace or remove it");
            }
            return codec;
        }
        catch (Exception e) when (e is not DaboException and not OutOfMemoryException)
        {
            codec?.Dispose();
            throw new DaboException($"{source}: cannot decode image '{name}' ({e.GetType().Name}); the file is corrupt or not an image, replace or remove it", e);
        }
        catch (DaboException)
        {
            codec?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes one image into a uint8 <c>[C, H, W]</c> tensor: one channel, or RGB when <paramref name="rgb"/>
    /// (a grayscale file then repeated into three channels). Pixels are those of TorchVision's SkiaImager
    /// (premultiplied alpha, no colour-space conversion). A truncated or damaged file is refused, naming it.
    /// </summary>
    public static Tensor Decode(string source, string name, byte[] data, bool rgb)
    {
        using var codec = Open(source, name, data);
        var header = codec.Info;
        bool gray = header.ColorType == SKColorType.Gray8;
        if (!gray && !rgb)
        {
            throw new DaboException($"{source}: '{name}' is a colour image in a dataset decoded as grayscale");
        }
        var info = new SKImageInfo(header.Width, header.Height,
            gray ? SKColorType.Gray8 : SKColorType.Bgra8888,
            gray ? SKAlphaType.Opaque : header.AlphaType == SKAlphaType.Unpremul ? SKAlphaType.Premul : header.AlphaType);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.IncompleteInput)
        {
            throw new DaboException($"{source}: '{name}' is truncated (the file ends before the image does); replace or remove it");
        }
        if (result != SKCodecResult.Success)
        {
            throw new DaboException($"{source}: cannot decode image '{name}' ({result}); the file is corrupt, replace or remove it");
        }
        using var scope = NewDisposeScope();
        byte[] bytes = bitmap.Bytes;
        Tensor image;
        if (gray)
        {
            image = tensor(bytes, [1, header.Height, header.Width], ScalarType.Byte);
            if (rgb)
            {
                image = image.expand(3, header.Height, header.Width).contiguous();
            }
        }
        else
        {
            // BGRA rows to RGB planes.
            using var bgra = tensor(bytes, [header.Height, header.Width, 4], ScalarType.Byte);
            using var order = tensor(new long[] { 2, 1, 0 });
            image = bgra.index_select(2, order).permute(2, 0, 1).contiguous();
        }
        return image.MoveToOuterDisposeScope();
    }
}
