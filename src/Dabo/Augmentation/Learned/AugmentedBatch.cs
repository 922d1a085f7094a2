using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>The result of an augmenter call.</summary>
/// <param name="Images">Augmented images, same shape and dtype as the input, in [0, 1].</param>
/// <param name="Parameters">
/// <c>[N, P]</c> per-image parameters in the units of <see cref="Augmenter.Specs"/> (rows of images left
/// untouched are generated but not applied); a trainer checks them for non-finite values.
/// </param>
/// <param name="Mask">bool <c>[N]</c>: which images were augmented.</param>
public sealed record AugmentedBatch(Tensor Images, Tensor Parameters, Tensor Mask);
