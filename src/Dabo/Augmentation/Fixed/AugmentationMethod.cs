namespace Dabo.Augmentation.Fixed;

/// <summary>
/// A <c>--method</c> string split into the fixed augmentations applied first and the learned
/// augmenter applied after them, e.g. <c>standard+learned-affine</c> → (<c>standard</c>,
/// <c>learned-affine</c>).
/// </summary>
/// <param name="Fixed">The fixed part (names joined by <c>+</c>), or null when there is none.</param>
/// <param name="Learned">
/// The learned part verbatim from its first <c>learned</c> name to the end (e.g.
/// <c>learned-affine</c> or <c>learned:RUN_DIR</c>), or null when there is none.
/// </param>
public sealed record AugmentationMethod(string? Fixed, string? Learned);
