namespace Dabo.Training;

/// <summary>Mean time of one phase of a step.</summary>
/// <param name="Phase">Phase name.</param>
/// <param name="Milliseconds">Mean milliseconds per step.</param>
public sealed record PhaseTime(string Phase, double Milliseconds);
