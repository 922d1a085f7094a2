using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>A fully connected layer; its weight and bias are <c>weights[Index]</c> and <c>weights[Index + 1]</c>.</summary>
internal sealed class LinearLayer(int index)
{
    public Tensor Apply(Tensor x, IReadOnlyList<Tensor> weights) =>
        nn.functional.linear(x, weights[index], weights[index + 1]);

    public string Emit(OnnxGraph graph, string x) => graph.Linear(x, index);
}
