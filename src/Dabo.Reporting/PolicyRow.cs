namespace Dabo.Reporting;

/// <summary>One operation of a final learned policy: a row of the report's policy table.</summary>
/// <param name="Operation">Operation name.</param>
/// <param name="Unit">Unit of its magnitude (empty when it has none or is unknown).</param>
/// <param name="Slots">The operation in each slot.</param>
/// <param name="Signal">t statistic of its mean advantage in the last epoch, or null when not recorded.</param>
internal sealed record PolicyRow(string Operation, string Unit, IReadOnlyList<PolicyCell> Slots, double? Signal);
