using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// Wide ResNet's pre-activation block: BN-ReLU-conv3×3-BN-ReLU-conv3×3 plus the input, or, when stride
/// or width changes, plus a 1×1 convolution of the activated input (as in the authors' code). No dropout.
/// </summary>
internal sealed class PreActBlock
{
    private readonly BatchNormLayer _bn1;
    private readonly ConvLayer _conv1;
    private readonly BatchNormLayer _bn2;
    private readonly ConvLayer _conv2;
    private readonly ConvLayer? _shortcut;

    public PreActBlock(Classifier owner, string name, int inChannels, int outChannels, int stride)
    {
        _bn1 = owner.BatchNorm($"{name}.bn1", inChannels);
        _conv1 = owner.Conv($"{name}.conv1", inChannels, outChannels, 3, stride);
        _bn2 = owner.BatchNorm($"{name}.bn2", outChannels);
        _conv2 = owner.Conv($"{name}.conv2", outChannels, outChannels, 3);
        if (stride != 1 || inChannels != outChannels)
        {
            _shortcut = owner.Conv($"{name}.shortcut", inChannels, outChannels, 1, stride);
        }
    }

    public Tensor Apply(Tensor x, IReadOnlyList<Tensor> w, BatchNormMode mode)
    {
        var a = nn.functional.relu(_bn1.Apply(x, w, mode));
        var y = _conv1.Apply(a, w);
        y = _conv2.Apply(nn.functional.relu(_bn2.Apply(y, w, mode)), w);
        return y + (_shortcut is null ? x : _shortcut.Apply(a, w));
    }

    public string Emit(OnnxGraph g, string x)
    {
        var a = g.Relu(_bn1.Emit(g, x));
        var y = _conv1.Emit(g, a);
        y = _conv2.Emit(g, g.Relu(_bn2.Emit(g, y)));
        return g.Add(y, _shortcut is null ? x : _shortcut.Emit(g, a));
    }
}
