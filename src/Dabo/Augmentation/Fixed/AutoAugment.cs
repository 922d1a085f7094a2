using TorchSharp;
using static TorchSharp.torch;
using Policy = TorchSharp.torchvision.autoaugment.AutoAugmentPolicy;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>autoaugment</c> baseline (Cubuk et al. 2018): TorchVision's <c>transforms.AutoAugment</c>
/// with a learned policy (CIFAR-10 by default), applied image by image so that each image draws
/// its own sub-policy. Randomness comes from the generator passed to <see cref="Apply"/>, not
/// from torch's global RNG.
/// </summary>
public sealed class AutoAugment : IFixedAugmentation
{
    /// <summary>Creates the policy.</summary>
    /// <param name="policy">The learned policy: CIFAR10 (default), SVHN or ImageNet.</param>
    public AutoAugment(Policy policy = Policy.CIFAR10)
    {
        Policy = policy;
    }

    /// <summary>The learned policy.</summary>
    public Policy Policy { get; }

    /// <inheritdoc />
    public string Name => "autoaugment";

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        // Built per call because TorchVision binds the generator at construction; it only stores fields.
        var policy = torchvision.transforms.AutoAugment(Policy, generator: generator);
        return PerImage.Apply(images, Name, (image, _) => policy.call(image));
    }
}
