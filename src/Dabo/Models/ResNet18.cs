namespace Dabo.Models;

/// <summary>
/// ResNet-18, CIFAR variant (as in most CIFAR papers and the reference implementation): 3×3 stem with
/// 64 channels and no max-pool, BasicBlocks [2, 2, 2, 2] with 64, 128, 256, 512 channels, 1×1 conv+BN
/// projection shortcuts. 11,173,962 parameters for 3 channels and 10 classes.
/// </summary>
public sealed class ResNet18 : ResNet
{
    /// <summary>Registry name.</summary>
    public const string RegistryName = "resnet18";

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    public ResNet18(int inputChannels, int classCount)
        : base(RegistryName, inputChannels, classCount, 64, [64, 128, 256, 512], [2, 2, 2, 2])
    {
    }
}
