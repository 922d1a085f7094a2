using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>standard</c> baseline of CIFAR papers: a random crop of the image zero-padded by
/// <see cref="Padding"/> pixels on every side (a shift of at most <see cref="Padding"/> pixels per
/// axis) followed by a random horizontal flip with probability ½.
/// </summary>
/// <remarks>
/// Batched as in airbench: the batch is padded once and every image's crop (and mirror) is read
/// with one <c>gather</c> through a per-image index grid, so there is no per-image loop. For
/// 128×3×32×32 on this workplace's 2-core machine: 0.50 ms per batch (median, 1 thread) against
/// 0.74 ms for a loop of per-image <c>narrow</c> + <c>flip</c>; crop alone 0.26 ms. With offsets (dy, dx) drawn in [0, 2p], output(y, x) = input(y + dy − p,
/// x + dx − p), zero outside the image; e.g. p = 4, (dy, dx) = (4, 4) returns the image itself and
/// (0, 8) moves it 4 pixels down and 4 pixels left. A mirrored image reads column w − 1 − x + dx − p.
/// </remarks>
public sealed class StandardAugmentation : IFixedAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="flip">
    /// Whether to mirror half of the images; disable for data where a mirror changes the meaning
    /// (digits, text).
    /// </param>
    /// <param name="padding">Zero padding in pixels, i.e. the largest shift per axis; 0 disables the crop.</param>
    public StandardAugmentation(bool flip = true, int padding = 4)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (!flip && padding == 0)
        {
            throw new ArgumentException("standard augmentation with neither crop nor flip is the identity; use NoAugmentation");
        }
        Flip = flip;
        Padding = padding;
    }

    /// <summary>Whether half of the images are mirrored horizontally.</summary>
    public bool Flip { get; }

    /// <summary>Zero padding in pixels (largest shift per axis).</summary>
    public int Padding { get; }

    /// <summary><c>standard</c> (crop + flip), <c>crop</c> (crop only) or <c>flip</c> (flip only).</summary>
    public string Name => (Padding > 0, Flip) switch
    {
        (true, true) => "standard",
        (true, false) => "crop",
        _ => "flip",
    };

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var p = Padding;
        var padded = p > 0 ? nn.functional.pad(images, [p, p, p, p]) : images;
        var paddedW = w + 2 * p;

        // Per-image offsets in [0, 2p] (p = no shift) and flip masks, all from the caller's generator.
        var dy = torch.randint(0, 2 * p + 1, [n, 1, 1], generator: generator, dtype: ScalarType.Int64);
        var dx = torch.randint(0, 2 * p + 1, [n, 1, 1], generator: generator, dtype: ScalarType.Int64);
        var rows = torch.arange(h, dtype: ScalarType.Int64).view(1, h, 1) + dy;
        var cols = torch.arange(w, dtype: ScalarType.Int64).view(1, 1, w).expand(n, 1, w);
        if (Flip)
        {
            var mirrored = torch.randint(0, 2, [n, 1, 1], generator: generator, dtype: ScalarType.Int64).to(ScalarType.Bool);
            cols = torch.where(mirrored, (w - 1) - cols, cols);
        }
        cols = cols + dx;

        // One flat index per output pixel into the padded image: [N, 1, H*W], shared by all channels.
        var index = (rows * paddedW + cols).view(n, 1, h * w).expand(n, c, h * w);
        var result = padded.reshape(n, c, -1).gather(2, index).view(n, c, h, w);
        return result.MoveToOuterDisposeScope();
    }
}
