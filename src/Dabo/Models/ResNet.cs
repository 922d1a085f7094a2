using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// A CIFAR-style ResNet of <see cref="BasicBlock"/>s: 3×3 stem conv-BN-ReLU (no max-pool), stages whose
/// first block halves the resolution (except the first stage), global average pooling, linear head.
/// Any image size works.
/// </summary>
public abstract class ResNet : Classifier
{
    private readonly ConvLayer _stemConv;
    private readonly BatchNormLayer _stemBn;
    private readonly BasicBlock[] _blocks;
    private readonly LinearLayer _head;

    /// <summary>Builds the stem, the stages and the head.</summary>
    /// <param name="name">Registry name.</param>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    /// <param name="stemWidth">Output channels of the stem convolution.</param>
    /// <param name="stageWidths">Channels of each stage.</param>
    /// <param name="blocksPerStage">Number of blocks in each stage.</param>
    protected ResNet(string name, int inputChannels, int classCount, int stemWidth, int[] stageWidths, int[] blocksPerStage)
        : base(name, inputChannels, classCount)
    {
        ArgumentNullException.ThrowIfNull(stageWidths);
        ArgumentNullException.ThrowIfNull(blocksPerStage);
        ArgumentOutOfRangeException.ThrowIfNotEqual(stageWidths.Length, blocksPerStage.Length);
        _stemConv = Conv("stem.conv", inputChannels, stemWidth, 3);
        _stemBn = BatchNorm("stem.bn", stemWidth);
        var blocks = new List<BasicBlock>();
        int width = stemWidth;
        for (int s = 0; s < stageWidths.Length; s++)
        {
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(new BasicBlock(this, $"stage{s + 1}.{b}", width, stageWidths[s], stride));
                width = stageWidths[s];
            }
        }
        _blocks = [.. blocks];
        _head = Linear("head", width, classCount);
    }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var y = nn.functional.relu(_stemBn.Apply(_stemConv.Apply(x, weights), weights, mode));
        foreach (var block in _blocks)
        {
            y = block.Apply(y, weights, mode);
        }
        return _head.Apply(nn.functional.adaptive_avg_pool2d(y, 1).flatten(1), weights);
    }

    /// <inheritdoc/>
    internal override string EmitOnnx(OnnxGraph graph, string input)
    {
        var y = graph.Relu(_stemBn.Emit(graph, _stemConv.Emit(graph, input)));
        foreach (var block in _blocks)
        {
            y = block.Emit(graph, y);
        }
        return _head.Emit(graph, graph.GlobalAveragePoolFlatten(y));
    }
}
