using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// He et al.'s post-activation residual block: conv3×3-BN-ReLU-conv3×3-BN, plus the input (or a
/// 1×1 conv+BN projection of it when stride or width changes), then ReLU.
/// </summary>
internal sealed class BasicBlock
{
    private readonly ConvLayer _conv1;
    private readonly BatchNormLayer _bn1;
    private readonly ConvLayer _conv2;
    private readonly BatchNormLayer _bn2;
    private readonly (ConvLayer Conv, BatchNormLayer Bn)? _shortcut;

    public BasicBlock(Classifier owner, string name, int inChannels, int outChannels, int stride)
    {
        _conv1 = owner.Conv($"{name}.conv1", inChannels, outChannels, 3, stride);
        _bn1 = owner.BatchNorm($"{name}.bn1", outChannels);
        _conv2 = owner.Conv($"{name}.conv2", outChannels, outChannels, 3);
        _bn2 = owner.BatchNorm($"{name}.bn2", outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcut = (owner.Conv($"{name}.shortcut.conv", inChannels, outChannels, 1, stride),
                owner.BatchNorm($"{name}.shortcut.bn", outChannels));
        }
    }

    public Tensor Apply(Tensor x, IReadOnlyList<Tensor> w, BatchNormMode mode)
    {
        var y = nn.functional.relu(_bn1.Apply(_conv1.Apply(x, w), w, mode));
        y = _bn2.Apply(_conv2.Apply(y, w), w, mode);
        var skip = _shortcut is var (conv, bn) ? bn.Apply(conv.Apply(x, w), w, mode) : x;
        return nn.functional.relu(y + skip);
    }

    public string Emit(OnnxGraph g, string x)
    {
        var y = g.Relu(_bn1.Emit(g, _conv1.Emit(g, x)));
        y = _bn2.Emit(g, _conv2.Emit(g, y));
        var skip = _shortcut is var (conv, bn) ? bn.Emit(g, conv.Emit(g, x)) : x;
        return g.Relu(g.Add(y, skip));
    }
}
