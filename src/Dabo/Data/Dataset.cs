namespace Dabo.Data;

/// <summary>
/// A loaded dataset: the official training and test splits, class names and the per-channel
/// mean and standard deviation of the training images (in [0, 1] pixel units).
/// </summary>
public sealed class Dataset : IDisposable
{
    /// <summary>Creates a dataset and computes the training split's channel statistics.</summary>
    public Dataset(DatasetFormat format, string source, ImageSet train, ImageSet test, IReadOnlyList<string> classNames)
    {
        if (train.Shape.AsSpan().SequenceEqual(test.Shape) == false)
        {
            throw new DaboException($"{source}: training images are {Describe(train.Shape)} but test images are {Describe(test.Shape)}; all images of a dataset must have one size");
        }
        Format = format;
        Source = source;
        Train = train;
        Test = test;
        ClassNames = classNames;
        (Mean, Std) = ChannelStatistics.Compute(train.Images);
    }

    /// <summary>The format the data was read from.</summary>
    public DatasetFormat Format { get; }

    /// <summary>The path (or name) the data was loaded from.</summary>
    public string Source { get; }

    /// <summary>The official training split (training and validation data come from it).</summary>
    public ImageSet Train { get; }

    /// <summary>The official test split: never used for training or model selection.</summary>
    public ImageSet Test { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Per-channel mean of the training images, in [0, 1] units.</summary>
    public double[] Mean { get; }

    /// <summary>Per-channel standard deviation of the training images, in [0, 1] units.</summary>
    public double[] Std { get; }

    /// <summary>Image shape <c>[C, H, W]</c>.</summary>
    public int[] Shape => Train.Shape;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    internal static string Describe(int[] shape) => $"[{string.Join(",", shape)}]";

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
