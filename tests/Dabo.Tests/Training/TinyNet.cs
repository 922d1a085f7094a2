using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

/// <summary>A smooth (tanh) two-layer classifier for exact derivative checks: no ReLU or max-pool kinks.</summary>
internal sealed class TinyNet : Classifier
{
    private readonly LinearLayer _hidden;
    private readonly LinearLayer _head;

    public TinyNet(int channels, int size, int classes, int hidden = 8) : base("tiny", channels, classes)
    {
        _hidden = Linear("hidden", channels * size * size, hidden);
        _head = Linear("head", hidden, classes);
    }

    protected override Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode) =>
        _head.Apply(tanh(_hidden.Apply(x.flatten(1), weights)), weights);
}
