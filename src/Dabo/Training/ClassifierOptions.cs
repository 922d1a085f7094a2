namespace Dabo.Training;

/// <summary>The classifier of a run: its architecture, where its weights start and where it runs.</summary>
/// <param name="Model">Registry name (see <c>ModelRegistry</c>).</param>
/// <param name="Init">Safetensors file of starting weights, or null for a random initialization.</param>
/// <param name="FreezeEpochs">Epochs at the start during which only the head trains.</param>
/// <param name="Device">Compute device, cpu or cuda.</param>
public sealed record ClassifierOptions(string Model, string? Init, int FreezeEpochs, string Device);
