using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments.Benchmarks;

/// <summary>Random uint8 images with random labels, for timing (their content does not matter).</summary>
public static class SyntheticImages
{
    /// <summary>Creates <paramref name="count"/> random images <c>[count, channels, size, size]</c> and labels in [0, classes).</summary>
    /// <param name="count">Number of images.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="size">Height and width.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="generator">Source of randomness.</param>
    public static ImageSet Create(int count, int channels, int size, int classes, Generator generator)
    {
        var images = randint(0, 256, [count, channels, size, size], dtype: ScalarType.Byte, generator: generator);
        var labels = randint(0, classes, [count], dtype: ScalarType.Int64, generator: generator);
        return new ImageSet(images, labels);
    }
}
