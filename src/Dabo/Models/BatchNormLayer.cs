using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// A 2-D BatchNorm whose affine weight and bias are <c>weights[Index]</c> and <c>weights[Index + 1]</c>,
/// and whose running statistics are buffers of the owning module, looked up by name on each call
/// (the module may have replaced them, e.g. in <c>to(float64)</c>).
/// </summary>
internal sealed class BatchNormLayer(nn.Module owner, string name, int index)
{
    // PyTorch's BatchNorm2d defaults.
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;

    public string RunningMeanName { get; } = $"{name}.running_mean";

    public string RunningVarName { get; } = $"{name}.running_var";

    public string BatchesTrackedName { get; } = $"{name}.num_batches_tracked";

    // Held for the process: `add_(1)` makes a temporary scalar that the GC could finalize while libtorch reads it
    // (seen as "alpha must not be a floating point number" on the integral counter, at random).
    private static readonly Scalar One = 1;

    public Tensor Apply(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode)
    {
        var weight = weights[index];
        var bias = weights[index + 1];
        switch (mode)
        {
            case BatchNormMode.TrainUpdate:
                var y = nn.functional.batch_norm(x, Buffer(RunningMeanName), Buffer(RunningVarName),
                    weight, bias, training: true, momentum: Momentum, eps: Epsilon);
                using (no_grad())
                {
                    Buffer(BatchesTrackedName).add_(One, One);
                }
                return y;
            case BatchNormMode.TrainNoUpdate:
                // No running tensors at all: libtorch then cannot write to them.
                return nn.functional.batch_norm(x, null!, null!, weight, bias, training: true, momentum: Momentum, eps: Epsilon);
            case BatchNormMode.Eval:
                return nn.functional.batch_norm(x, Buffer(RunningMeanName), Buffer(RunningVarName),
                    weight, bias, training: false, momentum: Momentum, eps: Epsilon);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    /// <summary>The evaluation-mode BatchNorm as an ONNX node.</summary>
    public string Emit(OnnxGraph graph, string x) => graph.BatchNorm(x, index, RunningMeanName, RunningVarName, Epsilon);

    private Tensor Buffer(string bufferName) =>
        owner.get_buffer(bufferName) ?? throw new InvalidOperationException($"buffer {bufferName} is missing from the module");
}
