using Dabo.Augmentation.Operations;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// One learned parameter: an operation of the table (<see cref="OperationTable.Learned"/>) and how
/// far from the identity the augmenter may go. Every augmenter output stays within
/// <c>Identity ± MaxRange</c>.
/// </summary>
/// <param name="Operation">The table entry; its <see cref="Operation.Learned"/> gives name, unit, identity and apply.</param>
/// <param name="MaxRange">Largest allowed distance from <see cref="Identity"/>.</param>
public sealed record ParameterSpec(Operation Operation, double MaxRange)
{
    /// <summary>How the augmenters learn the operation.</summary>
    public LearnedOperation Learned => Operation.Learned!;

    /// <summary>Short name used in logs and metrics (e.g. <c>rotate</c>, <c>saturation</c>).</summary>
    public string Name => Learned.Name;

    /// <summary>Unit of the values: <c>fraction</c> (of the image size), <c>deg</c>, <c>factor</c> or <c>turn</c>.</summary>
    public string Unit => Learned.Unit;

    /// <summary>The value that leaves the image unchanged.</summary>
    public double Identity => Learned.Identity;

    /// <summary>Whether the parameter belongs to the affine (geometric) family.</summary>
    public bool IsGeometric => Learned.IsGeometric;

    /// <summary>The spec of <paramref name="operation"/> with the range <paramref name="options"/> give it.</summary>
    /// <param name="operation">A table entry with <see cref="Operation.Learned"/>.</param>
    /// <param name="options">Where the maximal ranges come from.</param>
    /// <exception cref="ArgumentException">The operation is not learned.</exception>
    public static ParameterSpec For(Operation operation, AugmenterOptions options)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(options);
        var learned = operation.Learned
            ?? throw new ArgumentException($"operation {operation.Name} is not learned by augmenters", nameof(operation));
        return new(operation, options.MaxRange(learned.Range));
    }
}
