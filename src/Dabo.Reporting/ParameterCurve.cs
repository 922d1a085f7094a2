namespace Dabo.Reporting;

/// <summary>One learned parameter over the epochs of one run: mean and std in <see cref="Unit"/>.</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Unit">Physical unit (may be empty).</param>
/// <param name="Mean">Mean per epoch.</param>
/// <param name="Std">Standard deviation per epoch, on the same epochs as <paramref name="Mean"/>.</param>
internal sealed record ParameterCurve(string Name, string Unit, Curve Mean, double[] Std);
