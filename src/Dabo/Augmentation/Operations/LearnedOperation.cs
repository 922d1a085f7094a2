using Dabo.Augmentation.Differentiable;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>A differentiable colour adjustment: float images <c>[N, C, H, W]</c> in [0, 1] and per-image values <c>[N]</c> → images.</summary>
/// <param name="images">Float images in [0, 1].</param>
/// <param name="values">Per-image values in the learned unit.</param>
public delegate Tensor DifferentiableApply(Tensor images, Tensor values);

/// <summary>Puts per-image values <c>[N]</c> into their slot of the single affine warp.</summary>
/// <param name="affine">The parameters so far.</param>
/// <param name="values">Per-image values in the learned unit.</param>
public delegate AffineParameters AffineSlot(AffineParameters affine, Tensor values);

/// <summary>
/// How learned augmenters use an operation of the table (<see cref="Operation.Learned"/>): as one
/// differentiable parameter with its own name, unit and identity, which are not always the
/// policies' (e.g. shear is learned as an angle in degrees, the policies' magnitude is a factor).
/// Geometric parameters feed one affine warp (<see cref="Warp"/>, then <see cref="Differentiable.Affine"/>);
/// colour parameters apply <see cref="Adjust"/>.
/// </summary>
public sealed record LearnedOperation
{
    private LearnedOperation(string name, string unit, double identity, LearnedRange range, int order)
    {
        Name = name;
        Unit = unit;
        Identity = identity;
        Range = range;
        Order = order;
    }

    /// <summary>Parameter name in logs and metrics (e.g. <c>saturation</c> for the table's <c>color</c>).</summary>
    public string Name { get; }

    /// <summary>Unit of the values: <c>fraction</c> (of the image size), <c>deg</c>, <c>factor</c> or <c>turn</c>.</summary>
    public string Unit { get; }

    /// <summary>The value that leaves the image unchanged.</summary>
    public double Identity { get; }

    /// <summary>Default maximal distance from <see cref="Identity"/> and its allowed values.</summary>
    public LearnedRange Range { get; }

    /// <summary>
    /// Position among the learned parameters: the order colour adjustments are applied in (and of
    /// <see cref="OperationTable.Learned"/>). It is not the table's order, so that seeded augmenters
    /// keep their outputs.
    /// </summary>
    public int Order { get; }

    /// <summary>For geometric parameters, how the value enters the affine warp; null for colour ones.</summary>
    public AffineSlot? Warp { get; private init; }

    /// <summary>For colour parameters, the differentiable adjustment; null for geometric ones.</summary>
    public DifferentiableApply? Adjust { get; private init; }

    /// <summary>Whether the parameter belongs to the affine (geometric) family.</summary>
    public bool IsGeometric => Warp is not null;

    /// <summary>A geometric parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="unit">Unit.</param>
    /// <param name="identity">Identity value.</param>
    /// <param name="range">Maximal range.</param>
    /// <param name="order">Position among the learned parameters.</param>
    /// <param name="warp">Its slot of the affine warp.</param>
    public static LearnedOperation Geometric(string name, string unit, double identity, LearnedRange range, int order, AffineSlot warp) =>
        new(name, unit, identity, range, order) { Warp = warp };

    /// <summary>A colour parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <param name="unit">Unit.</param>
    /// <param name="identity">Identity value.</param>
    /// <param name="range">Maximal range.</param>
    /// <param name="order">Position among the learned parameters.</param>
    /// <param name="adjust">The differentiable adjustment.</param>
    public static LearnedOperation Color(string name, string unit, double identity, LearnedRange range, int order, DifferentiableApply adjust) =>
        new(name, unit, identity, range, order) { Adjust = adjust };
}
