using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// Wide ResNet WRN-D-K (Zagoruyko &amp; Komodakis, 2016): 3×3 stem with 16 channels, three groups of
/// (D − 4) / 6 pre-activation blocks with 16K, 32K, 64K channels (the last two halve the resolution),
/// final BN-ReLU, global average pooling, linear. WRN-28-10 has 36.5M parameters.
/// </summary>
public sealed class WideResNet : Classifier
{
    /// <summary>Registry name pattern: <c>wrn-D-K</c>, e.g. <c>wrn-28-10</c>.</summary>
    public const string RegistryPattern = "wrn-D-K";

    private readonly ConvLayer _stem;
    private readonly PreActBlock[] _blocks;
    private readonly BatchNormLayer _finalBn;
    private readonly LinearLayer _head;

    /// <summary>Checks depth and widening factor.</summary>
    /// <exception cref="DaboException">When depth or widening factor is invalid.</exception>
    public static void Check(int depth, int widenFactor)
    {
        if (depth < 10 || (depth - 4) % 6 != 0)
        {
            throw new DaboException($"wrn-{depth}-{widenFactor}: depth {depth} is invalid; depth − 4 must be a positive multiple of 6 (10, 16, 22, 28, 40, …)");
        }
        if (widenFactor < 1)
        {
            throw new DaboException($"wrn-{depth}-{widenFactor}: widen factor must be at least 1");
        }
    }

    /// <summary>
    /// The parameter count of WRN-<paramref name="depth"/>-<paramref name="widenFactor"/>, in closed form (no
    /// allocation; as a double, since absurd depths overflow a long): convolutions without bias, two BN
    /// parameters per channel, a 1×1 projection where the width changes.
    /// </summary>
    public static double CountParameters(int depth, int widenFactor, int inputChannels, int classCount)
    {
        double blocks = (depth - 4) / 6;
        double total = inputChannels * 16.0 * 9;
        double width = 16;
        foreach (double group in new[] { 16.0 * widenFactor, 32.0 * widenFactor, 64.0 * widenFactor })
        {
            double first = (2 * width) + (width * group * 9) + (2 * group) + (group * group * 9) + (width != group ? width * group : 0);
            double rest = (2 * group) + (group * group * 9) + (2 * group) + (group * group * 9);
            total += first + ((blocks - 1) * rest);
            width = group;
        }
        return total + (2 * width) + (width * classCount) + classCount;
    }

    /// <summary>
    /// Activation values kept for the backward pass of one <paramref name="height"/>×<paramref name="width"/> image:
    /// about six tensors per block (two BN, two ReLU, two convolution outputs) at each group's width and resolution.
    /// </summary>
    public static double ActivationsPerImage(int depth, int widenFactor, int height, int width)
    {
        double blocks = (depth - 4) / 6;
        double total = 16.0 * height * width;
        double h = height;
        double w = width;
        foreach (double group in new[] { 16.0 * widenFactor, 32.0 * widenFactor, 64.0 * widenFactor })
        {
            total += blocks * 6 * group * h * w;
            h = Math.Ceiling(h / 2);
            w = Math.Ceiling(w / 2);
        }
        return total;
    }

    /// <summary>Creates the network with freshly initialized weights.</summary>
    /// <param name="depth">Total depth D; D − 4 must be a positive multiple of 6 (10, 16, 22, 28, 40, …).</param>
    /// <param name="widenFactor">Widening factor K ≥ 1.</param>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    /// <exception cref="DaboException">When depth or widening factor is invalid.</exception>
    public WideResNet(int depth, int widenFactor, int inputChannels, int classCount)
        : base($"wrn-{depth}-{widenFactor}", inputChannels, classCount)
    {
        Check(depth, widenFactor);
        Depth = depth;
        WidenFactor = widenFactor;
        int blocksPerGroup = (depth - 4) / 6;
        _stem = Conv("stem", inputChannels, 16, 3);
        var blocks = new List<PreActBlock>();
        int width = 16;
        int[] groupWidths = [16 * widenFactor, 32 * widenFactor, 64 * widenFactor];
        for (int g = 0; g < groupWidths.Length; g++)
        {
            for (int b = 0; b < blocksPerGroup; b++)
            {
                int stride = g > 0 && b == 0 ? 2 : 1;
                blocks.Add(new PreActBlock(this, $"group{g + 1}.{b}", width, groupWidths[g], stride));
                width = groupWidths[g];
            }
        }
        _blocks = [.. blocks];
        _finalBn = BatchNorm("final.bn", width);
        _head = Linear("head", width, classCount);
    }

    /// <summary>Total depth D.</summary>
    public int Depth { get; }

    /// <summary>Widening factor K.</summary>
    public int WidenFactor { get; }

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var y = _stem.Apply(x, weights);
        foreach (var block in _blocks)
        {
            y = block.Apply(y, weights, mode);
        }
        y = nn.functional.relu(_finalBn.Apply(y, weights, mode));
        return _head.Apply(nn.functional.adaptive_avg_pool2d(y, 1).flatten(1), weights);
    }

    /// <inheritdoc/>
    internal override string EmitOnnx(OnnxGraph graph, string input)
    {
        var y = _stem.Emit(graph, input);
        foreach (var block in _blocks)
        {
            y = block.Emit(graph, y);
        }
        y = graph.Relu(_finalBn.Emit(graph, y));
        return _head.Emit(graph, graph.GlobalAveragePoolFlatten(y));
    }
}
