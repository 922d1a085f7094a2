namespace Dabo.Data;

/// <summary>
/// A loaded dataset: the official training and test splits, an optional validation split (an image
/// folder's <c>val/</c>), class names and the per-channel mean and standard deviation of the training
/// images (in [0, 1] pixel units).
/// </summary>
public sealed class Dataset : IDisposable
{
    /// <summary>Creates a dataset and computes the training split's channel statistics.</summary>
    /// <param name="format">The format the data was read from.</param>
    /// <param name="source">The path (or name) it was loaded from.</param>
    /// <param name="train">The training split (taken over).</param>
    /// <param name="test">The test split (taken over).</param>
    /// <param name="classNames">Class names, indexed by label.</param>
    /// <param name="validation">The dataset's own validation split (taken over), or null when it has none.</param>
    public Dataset(DatasetFormat format, string source, ImageSet train, ImageSet test, IReadOnlyList<string> classNames, ImageSet? validation = null)
    {
        foreach (var (name, split) in new[] { ("test", test), ("validation", validation) })
        {
            if (split is not null && train.Shape.AsSpan().SequenceEqual(split.Shape) == false)
            {
                throw new DaboException($"{source}: training images are {Describe(train.Shape)} but {name} images are {Describe(split.Shape)}; all images of a dataset must have one size: pass --image-size N to resize them");
            }
        }
        Format = format;
        Source = source;
        Train = train;
        Validation = validation;
        Test = test;
        ClassNames = classNames;
        (Mean, Std) = ChannelStatistics.Compute(train.Images);
    }

    /// <summary>The format the data was read from.</summary>
    public DatasetFormat Format { get; }

    /// <summary>The path (or name) the data was loaded from.</summary>
    public string Source { get; }

    /// <summary>The official training split (validation images are held out of it unless <see cref="Validation"/> is set).</summary>
    public ImageSet Train { get; }

    /// <summary>
    /// The dataset's own validation split (an image folder's <c>val/</c>), or null: then validation
    /// images are held out of <see cref="Train"/>.
    /// </summary>
    public ImageSet? Validation { get; }

    /// <summary>The official test split: never used for training or model selection.</summary>
    public ImageSet Test { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Per-channel mean of the training images, in [0, 1] units.</summary>
    public double[] Mean { get; }

    /// <summary>Per-channel standard deviation of the training images, in [0, 1] units.</summary>
    public double[] Std { get; }

    /// <summary>
    /// How many grayscale images were repeated into three channels because the dataset also holds colour
    /// images (image folders; 0 otherwise, and for a dataset read from the decoded cache).
    /// </summary>
    public int GrayscaleConvertedToRgb { get; init; }

    /// <summary>Image shape <c>[C, H, W]</c>.</summary>
    public int[] Shape => Train.Shape;

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    internal static string Describe(int[] shape) => $"[{string.Join(",", shape)}]";

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
        Test.Dispose();
    }
}
