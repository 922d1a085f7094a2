namespace Dabo.Augmentation.Differentiable;

/// <summary>
/// What a geometric transformation shows where it samples outside the source image
/// (images are in [0, 1] pixel space, so "zeros" means black).
/// </summary>
public enum PaddingMode
{
    /// <summary>Black (0 in pixel space), like the zero padding of the standard CIFAR crop.</summary>
    Zeros,

    /// <summary>Repeats the nearest edge pixel.</summary>
    Border,

    /// <summary>Mirrors the image about its edges.</summary>
    Reflection,
}
