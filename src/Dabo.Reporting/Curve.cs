namespace Dabo.Reporting;

/// <summary>A series of values over epochs.</summary>
/// <param name="Epochs">Epoch numbers, increasing.</param>
/// <param name="Values">One value per epoch.</param>
internal sealed record Curve(double[] Epochs, double[] Values)
{
    /// <summary>True when there is nothing to draw.</summary>
    public bool IsEmpty => Epochs.Length == 0;
}
