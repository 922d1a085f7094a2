namespace Dabo.Augmentation.Fixed;

/// <summary>What the parser knows about the data when it builds a fixed augmentation.</summary>
/// <param name="Channels">Image channels (1 for grayscale, 3 for colour).</param>
/// <param name="AllowFlip">
/// False for data whose meaning a mirror changes (digits, text): <c>standard</c> then crops
/// without flipping. An explicit <c>flip</c> is still honoured.
/// </param>
public sealed record FixedAugmentationOptions(int Channels, bool AllowFlip = true);
