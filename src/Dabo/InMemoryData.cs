using Dabo.Data;
using static TorchSharp.torch;

namespace Dabo;

/// <summary>
/// A dataset held in memory: uint8 images <c>[N, C, H, W]</c> (C = 1 or 3) and int64 labels <c>[N]</c> in
/// <c>[0, classes)</c>. The training images are split into training and validation images by the configuration's
/// <see cref="Training.TrainingConfig.TrainSize"/> and <see cref="Training.TrainingConfig.ValRatio"/> unless
/// <see cref="ValidationImages"/> are given. The tensors stay the caller's; they are copied, never changed.
/// </summary>
public sealed record InMemoryData
{
    /// <summary>Training images, uint8 <c>[N, C, H, W]</c>.</summary>
    public required Tensor TrainImages { get; init; }

    /// <summary>Training labels, int64 <c>[N]</c>.</summary>
    public required Tensor TrainLabels { get; init; }

    /// <summary>Test images (for the reported test accuracy); null tests on the training images.</summary>
    public Tensor? TestImages { get; init; }

    /// <summary>Test labels.</summary>
    public Tensor? TestLabels { get; init; }

    /// <summary>Validation images of your own; null holds out a share of the training images.</summary>
    public Tensor? ValidationImages { get; init; }

    /// <summary>Validation labels.</summary>
    public Tensor? ValidationLabels { get; init; }

    /// <summary>Class names; null names the classes 0, 1, … after the largest label.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Copies the tensors into a <see cref="Dataset"/> after checking them.</summary>
    internal Dataset ToDataset()
    {
        var train = Set("train", TrainImages, TrainLabels)!;
        var test = Set("test", TestImages, TestLabels) ?? Set("train", TrainImages, TrainLabels)!;
        var validation = Set("validation", ValidationImages, ValidationLabels);
        long maxLabel = new[] { train, test, validation }.Where(s => s is not null && s.Count > 0).Max(s => s!.Labels.max().item<long>());
        var names = ClassNames ?? [.. Enumerable.Range(0, (int)maxLabel + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (maxLabel >= names.Count)
        {
            throw new DaboException($"in-memory data: label {maxLabel} but only {names.Count} class names");
        }
        return new Dataset(DatasetFormat.InMemory, "in-memory data", train, test, names, validation);
    }

    private static ImageSet? Set(string split, Tensor? images, Tensor? labels)
    {
        if (images is null && labels is null)
        {
            return null;
        }
        if (images is null || labels is null)
        {
            throw new DaboException($"in-memory data: {split} images and labels must be given together");
        }
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] is not (1 or 3))
        {
            throw new DaboException($"in-memory data: {split} images must be uint8 [N, C, H, W] with C = 1 or 3, got {images.dtype} [{string.Join(", ", images.shape)}]");
        }
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != images.shape[0])
        {
            throw new DaboException($"in-memory data: {split} labels must be int64 [{images.shape[0]}], got {labels.dtype} [{string.Join(", ", labels.shape)}]");
        }
        if (labels.numel() > 0 && labels.min().item<long>() < 0)
        {
            throw new DaboException($"in-memory data: {split} labels must not be negative");
        }
        return new ImageSet(images.detach().cpu().contiguous().clone(), labels.detach().cpu().clone());
    }
}
