using Dabo.Data;
using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>What a <see cref="TrainingStep"/> needs from the run that creates it.</summary>
/// <param name="Seeds">The run's named random streams.</param>
/// <param name="Model">The classifier.</param>
/// <param name="Optimizer">The classifier's optimizer (its momentum buffers start every look-ahead).</param>
/// <param name="Normalize">Maps [0, 1] images to the classifier's input space.</param>
/// <param name="Device">Compute device.</param>
/// <param name="Data">The run's splits.</param>
/// <param name="ValidationStream">Endless stream of validation batches (for hypergradients).</param>
public sealed record StepContext(
    SeedStreams Seeds,
    Classifier Model,
    SgdMomentum Optimizer,
    Func<Tensor, Tensor> Normalize,
    Device Device,
    PreparedData Data,
    BatchSampler ValidationStream);
