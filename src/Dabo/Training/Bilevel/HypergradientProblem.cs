using Dabo.Augmentation.Learned;
using Dabo.Models;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Bilevel;

/// <summary>
/// Everything one K = 1 hypergradient reads: the classifier at w₀ with its momentum buffers m₀ and
/// update rule, the augmenter (φ) with this batch's draw, the training and validation batches, the
/// learning rate of the step and the BatchNorm mode of the training forward.
/// </summary>
/// <param name="Model">Classifier at w₀ (functional forward).</param>
/// <param name="Buffers">Momentum buffers m₀ (read only).</param>
/// <param name="Rule">The classifier's update rule.</param>
/// <param name="Normalize">[0, 1] images → model input.</param>
/// <param name="Augmenter">The augmenter; φ = its parameters.</param>
/// <param name="Images">Training batch in [0, 1] (after fixed augmentations).</param>
/// <param name="Labels">Training labels.</param>
/// <param name="Draw">The augmenter's noise and mask for this batch.</param>
/// <param name="ValidationImages">Validation batch in [0, 1].</param>
/// <param name="ValidationLabels">Validation labels.</param>
/// <param name="Lr">Learning rate η of the step.</param>
/// <param name="TrainMode">BatchNorm mode of the training forward.</param>
public sealed record HypergradientProblem(
    Classifier Model,
    IReadOnlyList<Tensor> Buffers,
    SgdRule Rule,
    Func<Tensor, Tensor> Normalize,
    Augmenter Augmenter,
    Tensor Images,
    Tensor Labels,
    AugmenterDraw Draw,
    Tensor ValidationImages,
    Tensor ValidationLabels,
    double Lr,
    BatchNormMode TrainMode);
