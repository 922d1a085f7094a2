using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// Fixed augmentations applied left to right, e.g. <c>standard+trivialaugment</c>: crop and flip,
/// then one TrivialAugment operation per image.
/// </summary>
public sealed class ComposedAugmentation : IFixedAugmentation
{
    /// <summary>Composes <paramref name="parts"/> (at least one), applied in order.</summary>
    public ComposedAugmentation(IReadOnlyList<IFixedAugmentation> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("a composition needs at least one augmentation", nameof(parts));
        }
        Parts = parts;
    }

    /// <summary>The augmentations, in the order they are applied.</summary>
    public IReadOnlyList<IFixedAugmentation> Parts { get; }

    /// <summary>The parts' names joined by <c>+</c>.</summary>
    public string Name => string.Join('+', Parts.Select(p => p.Name));

    /// <inheritdoc />
    public Tensor Apply(Tensor images, Generator generator)
    {
        var current = Parts[0].Apply(images, generator);
        foreach (var part in Parts.Skip(1))
        {
            // Each intermediate batch is ours alone: free it as soon as the next one exists.
            var next = part.Apply(current, generator);
            current.Dispose();
            current = next;
        }
        return current;
    }
}
