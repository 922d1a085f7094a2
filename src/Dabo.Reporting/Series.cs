namespace Dabo.Reporting;

/// <summary>One line of a chart.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="ColorIndex">Index into the report palette (one colour per method).</param>
/// <param name="Curve">The values.</param>
/// <param name="Dashed">Dashed line (e.g. loss on clean images).</param>
internal sealed record Series(string Label, int ColorIndex, Curve Curve, bool Dashed = false);
