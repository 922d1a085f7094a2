namespace Dabo.Augmentation.Learned;

/// <summary>Mean and standard deviation of one learned parameter across noise draws (the augmenter's diversity).</summary>
/// <param name="Name">Parameter name (e.g. <c>rotate</c>).</param>
/// <param name="Unit">Unit of <paramref name="Mean"/> and <paramref name="Std"/> (e.g. <c>deg</c>).</param>
/// <param name="Mean">Mean value.</param>
/// <param name="Std">Standard deviation; near 0 means the augmenter has become deterministic.</param>
public sealed record ParameterStatistics(string Name, string Unit, double Mean, double Std);
