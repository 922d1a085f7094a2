using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>The <c>none</c> baseline: returns a copy of the batch, unchanged.</summary>
public sealed class NoAugmentation : IFixedAugmentation
{
    /// <inheritdoc />
    public string Name => "none";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        FixedAugmentationChecks.RequireBatch(images, Name);
        // A copy, so callers may dispose the result without touching their data.
        return images.clone();
    }
}
