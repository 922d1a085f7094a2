namespace Dabo.Augmentation.Fixed;

/// <summary>One fixed augmentation of a method: a registry name and its optional argument (<c>random-affine:0.5</c> → (<c>random-affine</c>, <c>0.5</c>)).</summary>
/// <param name="Name">Registry name, lower case (see <see cref="FixedAugmentationParser.Names"/>).</param>
/// <param name="Argument">Text after the first <c>:</c>, as written (e.g. a file for <c>policy:FILE</c>), or null.</param>
public sealed record FixedPart(string Name, string? Argument)
{
    /// <inheritdoc />
    public override string ToString() => Argument is null ? Name : $"{Name}:{Argument}";
}
