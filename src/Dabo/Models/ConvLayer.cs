using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>A square, bias-free 2-D convolution with "same" padding; its kernel is <c>weights[index]</c>.</summary>
internal sealed class ConvLayer(int index, int stride, int padding)
{
    public Tensor Apply(Tensor x, IReadOnlyList<Tensor> weights) =>
        nn.functional.conv2d(x, weights[index], strides: [stride, stride], padding: [padding, padding]);

    public string Emit(OnnxGraph graph, string x) => graph.Conv(x, index, stride, padding);
}
