using static TorchSharp.torch;

namespace Dabo.Augmentation.Differentiable;

/// <summary>
/// Per-image parameters of an affine transformation, each a tensor of shape <c>[N]</c>, in
/// readable units. The transformation maps a source point <c>p</c> (pixel coordinates centred on
/// the image centre, x to the right, y downwards as displayed) to
/// <c>R(rotation) · Shear(shearX, shearY) · scale · p + (translateX · W, translateY · H)</c>:
/// scale first, then shear, then rotate about the image centre, then translate.
/// </summary>
/// <param name="TranslateX">Horizontal shift as a fraction of the width; positive moves the content right. Identity 0.</param>
/// <param name="TranslateY">Vertical shift as a fraction of the height; positive moves the content down. Identity 0.</param>
/// <param name="RotationDegrees">Rotation in degrees; positive is counter-clockwise as displayed. Identity 0.</param>
/// <param name="Scale">Isotropic zoom factor (must be positive); above 1 enlarges the content. Identity 1.</param>
/// <param name="ShearXDegrees">Horizontal shear angle in degrees: <c>x' = x + tan(shearX) · y</c>. Identity 0.</param>
/// <param name="ShearYDegrees">Vertical shear angle in degrees: <c>y' = y + tan(shearY) · x</c>. Identity 0.</param>
public sealed record AffineParameters(
    Tensor TranslateX,
    Tensor TranslateY,
    Tensor RotationDegrees,
    Tensor Scale,
    Tensor ShearXDegrees,
    Tensor ShearYDegrees)
{
    /// <summary>The identity for <paramref name="count"/> images (new tensors in the caller's dispose scope).</summary>
    /// <param name="count">Number of images N.</param>
    /// <param name="dtype">Floating dtype of the tensors (float32 by default).</param>
    public static AffineParameters Identity(long count, ScalarType dtype = ScalarType.Float32) => new(
        zeros(count, dtype: dtype),
        zeros(count, dtype: dtype),
        zeros(count, dtype: dtype),
        ones(count, dtype: dtype),
        zeros(count, dtype: dtype),
        zeros(count, dtype: dtype));
}
