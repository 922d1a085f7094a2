using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Operations;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// How learned parameters become images, shared by the learned augmenters (<see cref="Augmenter.Apply"/>)
/// and the fixed augmentation that replays their ranges (<c>policy:FILE</c> of a ranges file):
/// colour adjustments first, in <see cref="LearnedOperation.Order"/> (brightness, contrast,
/// saturation, hue), then one affine warp of every geometric parameter.
/// </summary>
public static class LearnedTransform
{
    /// <summary>
    /// Applies per-image parameters (pure; differentiable with respect to images and parameters).
    /// </summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    /// <param name="operations">The learned operation of each column of <paramref name="parameters"/>.</param>
    /// <param name="parameters"><c>[N, P]</c> in the units of <paramref name="operations"/>.</param>
    /// <param name="padding">What geometric transformations show outside the image.</param>
    /// <returns>Images of the same shape and dtype, in the caller's dispose scope.</returns>
    public static Tensor Apply(Tensor images, IReadOnlyList<LearnedOperation> operations, Tensor parameters, PaddingMode padding)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.dim() != 2 || parameters.shape[0] != images.shape[0] || parameters.shape[1] != operations.Count)
        {
            throw new ArgumentException($"parameters must be [{images.shape[0]}, {operations.Count}], got [{string.Join(", ", parameters.shape)}]", nameof(parameters));
        }
        using var scope = NewDisposeScope();
        var p = parameters.to_type(images.dtype);
        var x = images;
        AffineParameters? affine = null;
        foreach (var (operation, column) in operations.Select((o, i) => (o, i)).OrderBy(c => c.o.Order))
        {
            if (operation.Warp is { } warp)
            {
                affine = warp(affine ?? AffineParameters.Identity(images.shape[0], images.dtype), p[.., column]);
            }
            else
            {
                x = operation.Adjust!(x, p[.., column]);
            }
        }
        if (affine is not null)
        {
            x = Affine.Apply(x, affine, padding);
        }
        return x.MoveToOuterDisposeScope();
    }
}
