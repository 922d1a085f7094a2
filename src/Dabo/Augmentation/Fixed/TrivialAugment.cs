using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// The <c>trivialaugment</c> baseline, TrivialAugment Wide (Müller &amp; Hutter 2021): each image
/// gets one operation drawn uniformly from 14 (13 on grayscale data, without colour), at a
/// magnitude drawn uniformly from 31 bins, negated with probability ½ for signed operations, as
/// PyTorch's torchvision samples. It is <see cref="UniformPolicy"/> with one slot, on the batched
/// operations of <see cref="Operations.OperationTable"/>; randomness comes from the generator
/// passed to <see cref="Apply"/>, not from torch's global RNG.
/// </summary>
public sealed class TrivialAugment : IFixedAugmentation
{
    private readonly UniformPolicy _policy;

    /// <summary>Creates the policy.</summary>
    /// <param name="magnitudeBins">Number of magnitude bins (31 in the paper).</param>
    public TrivialAugment(int magnitudeBins = 31)
    {
        _policy = new UniformPolicy(slots: 1, magnitudeBins, name: "trivialaugment");
    }

    /// <summary>Number of magnitude bins.</summary>
    public int MagnitudeBins => _policy.MagnitudeBins;

    /// <inheritdoc />
    public string Name => _policy.Name;

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator) => _policy.Apply(images, generator);
}
