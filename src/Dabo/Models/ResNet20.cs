namespace Dabo.Models;

/// <summary>
/// He et al.'s CIFAR ResNet-20: 16-channel stem, 3 stages × 3 BasicBlocks with 16, 32, 64 channels.
/// Shortcuts that change shape are 1×1 conv+BN projections (the paper's option B) rather than the
/// parameter-free zero padding (option A) of the paper's 0.27M count: 272,474 parameters for
/// 3 channels and 10 classes, i.e. 269,722 + 2,752 for the two projections.
/// </summary>
public sealed class ResNet20 : ResNet
{
    /// <summary>Registry name.</summary>
    public const string RegistryName = "resnet20";

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    public ResNet20(int inputChannels, int classCount)
        : base(RegistryName, inputChannels, classCount, 16, [16, 32, 64], [3, 3, 3])
    {
    }
}
