namespace Dabo.Training;

/// <summary>How the classifier is optimized: epochs, batches, SGD with momentum and the learning-rate schedule.</summary>
/// <param name="Epochs">Epochs over the training images.</param>
/// <param name="BatchSize">Mini-batch size.</param>
/// <param name="Lr">Peak learning rate.</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="WeightDecay">L2 weight decay.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
/// <param name="Schedule">Learning-rate schedule.</param>
/// <param name="WarmupEpochs">Epochs of linear warm-up.</param>
public sealed record SgdOptions(int Epochs, int BatchSize, double Lr, double Momentum, double WeightDecay, bool Nesterov, ScheduleKind Schedule, double WarmupEpochs);
