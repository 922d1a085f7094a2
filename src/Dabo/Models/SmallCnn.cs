using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// A three-convolution CNN, the fast CPU default: conv3×3(32)-BN-ReLU-maxpool2,
/// conv3×3(64)-BN-ReLU-maxpool2, conv3×3(128)-BN-ReLU, global average pooling, linear.
/// About 40 ms per plain SGD step on a batch of 128 images of 3×32×32 on 2 idle cores (docs/speed.md).
/// Needs images of at least 4×4.
/// </summary>
public sealed class SmallCnn : Classifier
{
    /// <summary>Registry name.</summary>
    public const string RegistryName = "small-cnn";

    private static readonly int[] Widths = [32, 64, 128];

    private readonly ConvLayer[] _convs;
    private readonly BatchNormLayer[] _bns;
    private readonly LinearLayer _head;

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    public SmallCnn(int inputChannels, int classCount) : base(RegistryName, inputChannels, classCount)
    {
        _convs = new ConvLayer[Widths.Length];
        _bns = new BatchNormLayer[Widths.Length];
        int width = inputChannels;
        for (int i = 0; i < Widths.Length; i++)
        {
            _convs[i] = Conv($"conv{i + 1}", width, Widths[i], 3);
            _bns[i] = BatchNorm($"bn{i + 1}", Widths[i]);
            width = Widths[i];
        }
        _head = Linear("head", width, classCount);
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var y = x;
        for (int i = 0; i < _convs.Length; i++)
        {
            y = nn.functional.relu(_bns[i].Apply(_convs[i].Apply(y, weights), weights, mode));
            if (i < _convs.Length - 1)
            {
                y = nn.functional.max_pool2d(y, 2);
            }
        }
        return _head.Apply(nn.functional.adaptive_avg_pool2d(y, 1).flatten(1), weights);
    }

    /// <inheritdoc/>
    internal override string EmitOnnx(OnnxGraph graph, string input)
    {
        var y = input;
        for (int i = 0; i < _convs.Length; i++)
        {
            y = graph.Relu(_bns[i].Emit(graph, _convs[i].Emit(graph, y)));
            if (i < _convs.Length - 1)
            {
                y = graph.MaxPool(y, 2);
            }
        }
        return _head.Emit(graph, graph.GlobalAveragePoolFlatten(y));
    }
}
