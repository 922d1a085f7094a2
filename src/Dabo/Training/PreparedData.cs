using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// The images a run uses: a stratified subset of the official training split, divided
/// (stratified) into the classifier's training images and a validation split — or, when the
/// dataset has its own validation split (an image folder's <c>val/</c>), that subset trains and
/// the dataset's split validates; the official test split untouched. Normalization statistics come
/// from the training images.
/// </summary>
public sealed class PreparedData : IDisposable
{
    private PreparedData(ImageSet train, ImageSet validation, ImageSet test, double[] mean, double[] std, IReadOnlyList<string> classNames, bool validationFromDataset = false)
    {
        ValidationFromDataset = validationFromDataset;
        Train = train;
        Validation = validation;
        Test = test;
        Mean = mean;
        Std = std;
        ClassNames = classNames;
    }

    /// <summary>
    /// Indices into the dataset's training split of the labelled images drawn (training and validation
    /// images together, before the split); null when the splits were given (<see cref="FromSets"/>).
    /// </summary>
    public IReadOnlyList<long>? LabelledIndices { get; private init; }

    /// <summary>Images the classifier trains on.</summary>
    public ImageSet Train { get; }

    /// <summary>Held-out validation images (model selection, hypergradients); may be empty.</summary>
    public ImageSet Validation { get; }

    /// <summary>
    /// True when <see cref="Validation"/> is the dataset's own validation split (an image folder's
    /// <c>val/</c>) and the validation ratio was therefore not used.
    /// </summary>
    public bool ValidationFromDataset { get; }

    /// <summary>The official test split (owned by the dataset, not disposed here).</summary>
    public ImageSet Test { get; }

    /// <summary>Per-channel mean of <see cref="Train"/> in [0, 1] units.</summary>
    public double[] Mean { get; }

    /// <summary>Per-channel std of <see cref="Train"/> in [0, 1] units.</summary>
    public double[] Std { get; }

    /// <summary>Class names.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Image channels.</summary>
    public int Channels => Test.Shape[0];

    /// <summary>Builds the splits for a configuration.</summary>
    /// <param name="dataset">The loaded dataset.</param>
    /// <param name="trainSize">Stratified subset size of the training split, or null for all.</param>
    /// <param name="valRatio">Validation share of that subset; ignored when the dataset has its own validation split (all of which then validates).</param>
    /// <param name="trainOnValidation">Whether the classifier's training set also includes the validation images.</param>
    /// <param name="dataSeed">Seed of the subset and split.</param>
    public static PreparedData Create(Dataset dataset, int? trainSize, double valRatio, bool trainOnValidation, int dataSeed)
    {
        // An empty split would train "N epochs × 0 steps" and still report an accuracy.
        if (dataset.Train.Count == 0)
        {
            throw new DaboException($"{dataset.Source}: the training split holds no images; pass a dataset with training images");
        }
        if (dataset.Test.Count == 0)
        {
            throw new DaboException($"{dataset.Source}: the test split holds no images; pass a dataset with test images");
        }
        // One class trains a classifier that is always right (test accuracy 1.0) and learns nothing.
        var present = dataset.Train.LabelArray.Distinct().ToArray();
        if (present.Length < 2)
        {
            string only = present.Length == 1 && present[0] >= 0 && present[0] < dataset.ClassCount ? $" ('{dataset.ClassNames[(int)present[0]]}')" : "";
            throw new DaboException($"{dataset.Source}: the training split holds one class only{only}; a classifier needs at least two classes: pass a dataset with two or more");
        }
        long[] pool = trainSize is int n
            ? Stratified.Subset(dataset.Train.LabelArray, dataset.ClassNames, n, dataSeed)
            : Enumerable.Range(0, dataset.Train.Count).Select(i => (long)i).ToArray();
        if (dataset.Validation is { } own)
        {
            return FromOwnValidation(dataset, own, pool, trainOnValidation);
        }
        var poolLabels = pool.Select(i => dataset.Train.LabelArray[i]).ToArray();
        var (trainPart, valPart) = Stratified.Split(poolLabels, dataset.ClassCount, valRatio, dataSeed);
        long[] trainIdx = trainPart.Select(i => pool[i]).ToArray();
        long[] valIdx = valPart.Select(i => pool[i]).ToArray();
        if (trainOnValidation)
        {
            trainIdx = [.. trainIdx, .. valIdx];
        }
        if (trainIdx.Length == 0)
        {
            throw new DaboException($"--train-size {trainSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0"}: no training images are left after holding out --val-ratio {valRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)} for validation; pass a larger --train-size or a smaller --val-ratio");
        }
        var train = dataset.Train.Select(trainIdx);
        var validation = dataset.Train.Select(valIdx);
        var (mean, std) = ChannelStatistics.Compute(train.Images);
        return new PreparedData(train, validation, dataset.Test, mean, std, dataset.ClassNames) { LabelledIndices = pool };
    }

    // The dataset's validation split validates, whole; the training subset trains (plus the validation
    // images with trainOnValidation).
    private static PreparedData FromOwnValidation(Dataset dataset, ImageSet own, long[] pool, bool trainOnValidation)
    {
        if (own.Count == 0)
        {
            throw new DaboException($"{dataset.Source}: the validation split (val/) holds no images; add images to val/<class>/ or remove val/");
        }
        var validation = own.Select([.. Enumerable.Range(0, own.Count).Select(i => (long)i)]);
        var train = dataset.Train.Select(pool);
        if (trainOnValidation)
        {
            using var subset = train;
            train = new ImageSet(cat([subset.Images, own.Images], 0), cat([subset.Labels, own.Labels], 0));
        }
        var (mean, std) = ChannelStatistics.Compute(train.Images);
        return new PreparedData(train, validation, dataset.Test, mean, std, dataset.ClassNames, validationFromDataset: true) { LabelledIndices = pool };
    }

    /// <summary>
    /// Wraps splits that already exist (e.g. synthetic data for benchmarks and tests); the
    /// normalization statistics come from <paramref name="train"/>. <paramref name="train"/> and
    /// <paramref name="validation"/> are taken over (disposed with this object); <paramref name="test"/> is not.
    /// </summary>
    /// <param name="train">Training images.</param>
    /// <param name="validation">Validation images (may be empty).</param>
    /// <param name="test">Test images (owned by the caller).</param>
    /// <param name="classNames">Class names; labels must lie in [0, count).</param>
    public static PreparedData FromSets(ImageSet train, ImageSet validation, ImageSet test, IReadOnlyList<string> classNames)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException("the training split is empty", nameof(train));
        }
        if (!train.Shape.SequenceEqual(test.Shape) || (validation.Count > 0 && !train.Shape.SequenceEqual(validation.Shape)))
        {
            throw new ArgumentException($"splits have different image shapes: train [{string.Join(",", train.Shape)}], validation [{string.Join(",", validation.Shape)}], test [{string.Join(",", test.Shape)}]");
        }
        var (mean, std) = ChannelStatistics.Compute(train.Images);
        return new PreparedData(train, validation, test, mean, std, classNames);
    }

    /// <summary>
    /// Converts uint8 images to float in [0, 1] on <paramref name="device"/> (the space augmenters work in).
    /// </summary>
    public static Tensor ToUnit(Tensor images, Device device) => images.to(device).to_type(ScalarType.Float32).div_(ByteMax);

    // Held for the process: an implicit scalar's temporary can be finalized by the GC while libtorch reads it (a random
    // "internal error" in a long run); these conversions run on every batch.
    private static readonly Scalar ByteMax = 255f;
    private static readonly Scalar ByteMaxDouble = 255.0;
    private static readonly Scalar Zero = 0;
    private static readonly Scalar ByteMaxInteger = 255;

    /// <summary>[0, 1] images back to uint8 on the CPU, for augmentations that work on bytes; no gradient. Exact for images that came from uint8 (<see cref="ToUnit"/> divides by 255).</summary>
    public static Tensor ToBytes(Tensor unitImages)
    {
        using var noGrad = no_grad();
        return unitImages.cpu().mul(ByteMaxDouble).round_().clamp_(Zero, ByteMaxInteger).to_type(ScalarType.Byte);
    }

    /// <summary>Normalizes [0, 1] images with the training mean and std.</summary>
    public Tensor Normalize(Tensor unitImages)
    {
        using var mean = tensor(Mean.Select(m => (float)m).ToArray(), [1, Channels, 1, 1], device: unitImages.device);
        using var std = tensor(Std.Select(s => (float)Math.Max(s, 1e-6)).ToArray(), [1, Channels, 1, 1], device: unitImages.device);
        return unitImages.sub(mean).div_(std);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}
