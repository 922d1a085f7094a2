using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// The randomness of one augmenter call: which images are augmented and their noise. Keeping it
/// lets a trainer apply the same augmentation twice (e.g. the two evaluations of a finite-difference
/// hypergradient).
/// </summary>
/// <param name="Mask">bool <c>[N]</c>: true for the images to augment.</param>
/// <param name="Noise"><c>[N, nz]</c>, uniform in [−1, 1).</param>
public sealed record AugmenterDraw(Tensor Mask, Tensor Noise);
