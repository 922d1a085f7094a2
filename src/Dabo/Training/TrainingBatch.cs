using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>One training batch as the loop receives it: the sampled uint8 images, their labels and the fixed-augmented images.</summary>
/// <param name="Images">uint8 <c>[N, C, H, W]</c> as sampled.</param>
/// <param name="Labels">int64 <c>[N]</c>.</param>
/// <param name="Augmented">The images after the fixed augmentation (the same tensor as <paramref name="Images"/> without one).</param>
internal sealed record TrainingBatch(Tensor Images, Tensor Labels, Tensor Augmented) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Augmented.Dispose();
        Images.Dispose();
        Labels.Dispose();
    }
}
