using Dabo.Augmentation.Operations;

namespace Dabo.Augmentation.Learned;

/// <summary>A registry entry: a named family of learned parameters.</summary>
/// <param name="Name">Name on the command line (e.g. <c>learned-affine</c>).</param>
/// <param name="Summary">One-line description.</param>
/// <param name="Parameters">The learned operations (entries of <see cref="OperationTable.Learned"/>), in output order.</param>
/// <param name="MlpNoiseSize">Noise size nz of the <see cref="AugmenterParametrization.Mlp"/> parametrization.</param>
/// <param name="MlpHidden">Hidden layer widths of the MLP.</param>
public sealed record AugmenterKind(string Name, string Summary, IReadOnlyList<Operation> Parameters, int MlpNoiseSize, IReadOnlyList<int> MlpHidden)
{
    /// <summary>Whether one of the operations needs RGB images (<see cref="Operation.NeedsRgb"/>).</summary>
    public bool NeedsRgb => Parameters.Any(p => p.NeedsRgb);
}
