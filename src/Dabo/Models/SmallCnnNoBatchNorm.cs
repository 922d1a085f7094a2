using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// The small CNN without BatchNorm, convolutions with biases: conv3×3(32)-ReLU-maxpool2,
/// conv3×3(64)-ReLU-maxpool2, conv3×3(128)-ReLU, global average pooling, linear — the network of the
/// PyTorch peer that <c>scripts/bench-pytorch.sh</c> times, so that speed can be compared on the
/// same model (docs/speed.md).
/// </summary>
public sealed class SmallCnnNoBatchNorm : Classifier
{
    /// <summary>Registry name.</summary>
    public const string RegistryName = "small-cnn-nobn";

    private static readonly int[] Widths = [32, 64, 128];

    private readonly int[] _convIndex = new int[Widths.Length];
    private readonly LinearLayer _head;

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    public SmallCnnNoBatchNorm(int inputChannels, int classCount) : base(RegistryName, inputChannels, classCount)
    {
        int width = inputChannels;
        for (int i = 0; i < Widths.Length; i++)
        {
            _convIndex[i] = BiasedConv($"conv{i + 1}", width, Widths[i], 3);
            width = Widths[i];
        }
        _head = Linear("head", width, classCount);
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var y = x;
        for (int i = 0; i < Widths.Length; i++)
        {
            int k = _convIndex[i];
            y = nn.functional.relu(nn.functional.conv2d(y, weights[k], weights[k + 1], padding: [1, 1]));
            if (i < Widths.Length - 1)
            {
                y = nn.functional.max_pool2d(y, 2);
            }
        }
        return _head.Apply(nn.functional.adaptive_avg_pool2d(y, 1).flatten(1), weights);
    }
}
