using Dabo.Augmentation.Learned;
using Dabo.Models;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Bilevel;

/// <summary>
/// K look-ahead steps of the classifier that keep the autograd graph back to the augmenter, from
/// the real weights w₀ and momentum buffers m₀ (constants: the truncation):
/// <c>g_k = ∇_w CE(f(A(x_k, z_k; φ); w_k), y_k)</c>, then the real optimizer's <see cref="SgdRule"/>
/// in its functional form.
/// <see cref="ValidationLoss"/> then gives <c>CE(f(x_v; w_K), y_v)</c>, differentiable with respect to φ.
/// The tensors it keeps between calls live outside dispose scopes and are released by <see cref="Dispose"/>.
/// </summary>
public sealed class LookAheadWindow : IDisposable
{
    private readonly Classifier _model;
    private readonly SgdRule _rule;
    private readonly Func<Tensor, Tensor> _normalize;
    private Tensor[] _weights;
    private Tensor[] _buffers;
    private bool _ownsWeights;

    /// <summary>Starts a window at the model's current weights and the given momentum buffers.</summary>
    /// <param name="model">The classifier (functional forward).</param>
    /// <param name="buffers">Momentum buffers m₀ (read, never modified).</param>
    /// <param name="rule">Update rule (the real optimizer's).</param>
    /// <param name="normalize">[0, 1] images → model input.</param>
    public LookAheadWindow(Classifier model, IReadOnlyList<Tensor> buffers, SgdRule rule, Func<Tensor, Tensor> normalize)
    {
        _model = model;
        _rule = rule;
        _normalize = normalize;
        _weights = model.Weights.Cast<Tensor>().ToArray();
        _buffers = buffers.Select(b => b.detach().DetachFromDisposeScope()).ToArray();
        _ownsWeights = false;
    }

    /// <summary>Inner steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Current look-ahead weights w_k (with graph after the first step).</summary>
    public IReadOnlyList<Tensor> Weights => _weights;

    /// <summary>Current look-ahead momentum buffers m_k.</summary>
    public IReadOnlyList<Tensor> Buffers => _buffers;

    /// <summary>
    /// Takes one look-ahead step on augmented images (which carry the graph to φ). Returns the
    /// training loss and the logits (both in the caller's dispose scope).
    /// </summary>
    /// <param name="augmented">Augmented images in [0, 1].</param>
    /// <param name="labels">Labels.</param>
    /// <param name="lr">Learning rate η of this step.</param>
    /// <param name="mode">BatchNorm mode of this forward (TrainUpdate when it is the real step's only forward).</param>
    public (Tensor Loss, Tensor Logits) Step(Tensor augmented, Tensor labels, double lr, BatchNormMode mode)
    {
        var logits = _model.Forward(_normalize(augmented), _weights, mode, secondOrder: true);
        var loss = nn.functional.cross_entropy(logits, labels);
        var grads = torch.autograd.grad([loss], _weights, create_graph: true, retain_graph: true);
        var newWeights = new Tensor[_weights.Length];
        var newBuffers = new Tensor[_weights.Length];
        for (int i = 0; i < _weights.Length; i++)
        {
            (newWeights[i], newBuffers[i]) = _rule.Step(_weights[i], _buffers[i], grads[i], lr);
        }
        Replace(newWeights, newBuffers);
        Steps++;
        return (loss, logits);
    }

    /// <summary>Validation loss at the look-ahead weights (BatchNorm on batch statistics, running statistics untouched).</summary>
    /// <remarks>
    /// Its backward runs into the second-order graph of the window's steps, so it keeps the layout of those
    /// forwards: channels-last gradients entering that graph slow the unrolled backward down (docs/speed.md).
    /// </remarks>
    public Tensor ValidationLoss(Tensor validationImages, Tensor validationLabels) =>
        nn.functional.cross_entropy(_model.Forward(_normalize(validationImages), _weights, BatchNormMode.TrainNoUpdate, secondOrder: true), validationLabels);

    /// <summary>Copies w_K and m_K into the real classifier and optimizer: the classifier really took the K steps.</summary>
    public void Commit(SgdMomentum optimizer)
    {
        using var noGrad = no_grad();
        var parameters = _model.Weights;
        for (int i = 0; i < parameters.Count; i++)
        {
            parameters[i].copy_(_weights[i]);
            optimizer.Buffers[i].copy_(_buffers[i]);
        }
    }

    private void Replace(Tensor[] weights, Tensor[] buffers)
    {
        foreach (var w in weights)
        {
            w.DetachFromDisposeScope();
        }
        foreach (var b in buffers)
        {
            b.DetachFromDisposeScope();
        }
        ReleaseState();
        _weights = weights;
        _buffers = buffers;
        _ownsWeights = true;
    }

    private void ReleaseState()
    {
        if (_ownsWeights)
        {
            foreach (var w in _weights)
            {
                w.Dispose();
            }
        }
        foreach (var b in _buffers)
        {
            b.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReleaseState();
        _weights = [];
        _buffers = [];
    }
}
