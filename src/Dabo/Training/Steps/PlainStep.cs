using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>
/// Ordinary training: forward on the batch (optionally transformed by a frozen augmenter),
/// cross-entropy, backward, SGD step.
/// </summary>
public sealed class PlainStep : TrainingStep
{
    private readonly Classifier _model;
    private readonly SgdMomentum _optimizer;
    private readonly Func<Tensor, Tensor> _normalize;
    private readonly Func<Tensor, Tensor>? _frozenAugment;

    /// <summary>Creates the step.</summary>
    /// <param name="model">Classifier (in training mode).</param>
    /// <param name="optimizer">Its optimizer.</param>
    /// <param name="normalize">[0, 1] images to model input.</param>
    /// <param name="frozenAugment">Optional fixed transformation of [0, 1] images (e.g. a transferred, frozen augmenter).</param>
    public PlainStep(Classifier model, SgdMomentum optimizer, Func<Tensor, Tensor> normalize, Func<Tensor, Tensor>? frozenAugment = null)
    {
        _model = model;
        _optimizer = optimizer;
        _normalize = normalize;
        _frozenAugment = frozenAugment;
    }

    /// <inheritdoc />
    public override (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr)
    {
        StepProfiler.Start();
        Tensor input;
        using (no_grad())
        {
            input = _normalize(_frozenAugment is null ? unitImages : _frozenAugment(unitImages));
        }
        StepProfiler.Mark("augment (frozen)");
        _optimizer.ZeroGrad();
        var logits = _model.Forward(input, _model.Weights.Cast<Tensor>().ToList(), BatchNormMode.TrainUpdate);
        var loss = nn.functional.cross_entropy(logits, labels);
        StepProfiler.Mark("forward");
        loss.backward();
        StepProfiler.Mark("backward");
        _optimizer.Step(lr);
        StepProfiler.Mark("optimizer");
        var correct = logits.detach().argmax(1).eq(labels).sum();
        StepProfiler.Mark("metrics");
        return (loss.detach(), correct);
    }

    /// <inheritdoc />
    public override Tensor Preview(Tensor unitImages)
    {
        using var noGrad = no_grad();
        return _frozenAugment is null ? unitImages.alias() : _frozenAugment(unitImages);
    }
}
