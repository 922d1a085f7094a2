using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// One split of a dataset held in memory as a single contiguous tensor: images as uint8
/// <c>[N, C, H, W]</c> and labels as int64 <c>[N]</c>. Batches are gathered from it with
/// <see cref="Select(long[])"/> or <see cref="Gather(Tensor)"/>, never image by image.
/// </summary>
public sealed class ImageSet : IDisposable
{
    private long[]? _labelArray;

    /// <summary>Wraps existing tensors (taken over: this set disposes them).</summary>
    /// <param name="images">uint8 tensor <c>[N, C, H, W]</c>.</param>
    /// <param name="labels">int64 tensor <c>[N]</c>.</param>
    public ImageSet(Tensor images, Tensor labels)
    {
        if (images.dim() != 4 || images.dtype != ScalarType.Byte)
        {
            throw new ArgumentException($"images must be uint8 [N,C,H,W], got {images.dtype} [{string.Join(",", images.shape)}]");
        }
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"labels must be int64 [{images.shape[0]}], got {labels.dtype} [{string.Join(",", labels.shape)}]");
        }
        Images = images.contiguous();
        Labels = labels.contiguous();
        if (!ReferenceEquals(Images, images))
        {
            images.Dispose();
        }
        if (!ReferenceEquals(Labels, labels))
        {
            labels.Dispose();
        }
        Images.DetachFromDisposeScope();
        Labels.DetachFromDisposeScope();
    }

    /// <summary>Images, uint8 <c>[N, C, H, W]</c>.</summary>
    public Tensor Images { get; }

    /// <summary>Labels, int64 <c>[N]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => (int)Images.shape[0];

    /// <summary>Image shape <c>[C, H, W]</c>.</summary>
    public int[] Shape => [(int)Images.shape[1], (int)Images.shape[2], (int)Images.shape[3]];

    /// <summary>The labels as a managed array (read once, then cached).</summary>
    public long[] LabelArray => _labelArray ??= Labels.data<long>().ToArray();

    /// <summary>Number of images of each class, for <paramref name="classCount"/> classes.</summary>
    public int[] CountsPerClass(int classCount)
    {
        var counts = new int[classCount];
        foreach (var label in LabelArray)
        {
            counts[label]++;
        }
        return counts;
    }

    /// <summary>A new set holding copies of the given images, in the given order.</summary>
    public ImageSet Select(long[] indices)
    {
        using var index = torch.tensor(indices, ScalarType.Int64);
        return new ImageSet(Images.index_select(0, index), Labels.index_select(0, index));
    }

    /// <summary>
    /// A batch gathered in one operation: images (uint8) and labels at <paramref name="index"/>.
    /// The returned tensors belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Images, Tensor Labels) Gather(Tensor index) => (Images.index_select(0, index), Labels.index_select(0, index));

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
