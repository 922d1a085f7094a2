namespace Dabo.Data;

/// <summary>The on-disk formats Dabo reads.</summary>
public enum DatasetFormat
{
    /// <summary>MNIST-style IDX files (gzip or raw): <c>train-images-idx3-ubyte</c> etc.</summary>
    Idx,

    /// <summary>CIFAR-10 or CIFAR-100 binary records, in a directory or the official <c>.tar.gz</c>.</summary>
    CifarBinary,

    /// <summary><c>train/&lt;class&gt;/*</c> and <c>test/&lt;class&gt;/*</c> images, in a directory or a <c>.tar</c>/<c>.tar.gz</c>.</summary>
    ImageFolder,

    /// <summary>Tensors passed in memory through the typed API.</summary>
    InMemory,
}
