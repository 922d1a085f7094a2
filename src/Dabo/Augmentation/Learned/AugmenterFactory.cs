using Dabo.Augmentation.Operations;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// The registry of learned augmenters: a name resolves to a parameter family, and the options pick
/// the parametrization. Adding a kind is adding one entry to <see cref="Kinds"/>.
/// </summary>
public static class AugmenterFactory
{
    // Named, not "every geometric entry": the column order and count fix the MLP's shape, so a new
    // learned entry in the table must not change these kinds or the augmenter files saved with them.
    private static readonly Operation[] AffineParameters = Learned("translate-x", "translate-y", "rotate", "scale", "shear-x", "shear-y");
    private static readonly Operation[] ColorParameters = Learned("brightness", "contrast", "saturation", "hue");

    /// <summary>
    /// The registered kinds. The two reference architectures keep their sizes (z of 6 → 6 → 60 → 6,
    /// z of 10 → 10 → 100 → 10); single families use z of 4 → 4 → 40 → P (same "nz, 10·nz" rule).
    /// </summary>
    public static IReadOnlyList<AugmenterKind> Kinds { get; } =
    [
        new("learned-affine", "translation, rotation, scale and shear (the reference's small_affine, bounded)", AffineParameters, 6, [6, 60]),
        new("learned-affine-color", "affine + brightness, contrast, saturation, hue (the reference's affine_color; RGB only)", [.. AffineParameters, .. ColorParameters], 10, [10, 100]),
        new("learned-translate", "translation only", Learned("translate-x", "translate-y"), 4, [4, 40]),
        new("learned-rotate", "rotation only", Learned("rotate"), 4, [4, 40]),
        new("learned-scale", "scale only", Learned("scale"), 4, [4, 40]),
        new("learned-color", "brightness, contrast, saturation, hue (RGB only)", ColorParameters, 4, [4, 40]),
    ];

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => Kinds.Select(k => k.Name).ToList();

    /// <summary>Creates a learned augmenter by name.</summary>
    /// <param name="name">One of <see cref="Names"/> (case-insensitive).</param>
    /// <param name="channels">Channels of the images it will augment (1 or 3).</param>
    /// <param name="options">Parametrization, ranges, probability, padding, seed.</param>
    /// <exception cref="DaboException">Unknown name, colour kind on grayscale data (checked by <see cref="Augmenter"/>), or invalid options.</exception>
    public static Augmenter Create(string name, int channels, AugmenterOptions options)
    {
        var kind = Kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new DaboException($"unknown augmenter '{name}'; choose one of {string.Join(", ", Names)}");
        if (channels is not (1 or 3))
        {
            throw new DaboException($"augmenter {kind.Name}: images must have 1 or 3 channels, not {channels}");
        }
        options.Validate();
        var specs = kind.Parameters.Select(p => ParameterSpec.For(p, options)).ToList();
        return options.Parametrization switch
        {
            AugmenterParametrization.Mlp => new MlpAugmenter(kind.Name, channels, specs, kind.MlpNoiseSize, kind.MlpHidden, options),
            AugmenterParametrization.Ranges => new RangeAugmenter(kind.Name, channels, specs, options),
            _ => throw new DaboException($"unknown augmenter parametrization {options.Parametrization}"),
        };
    }

    private static Operation[] Learned(params string[] names) => [.. names.Select(OperationTable.GetLearned)];
}
