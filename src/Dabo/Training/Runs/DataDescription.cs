namespace Dabo.Training.Runs;

/// <summary>What a run trained on: the normalization of its training images, its classes and the image shape.</summary>
/// <param name="Mean">Per-channel mean in [0, 1] units.</param>
/// <param name="Std">Per-channel standard deviation in [0, 1] units.</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="ImageShape">[channels, height, width].</param>
internal sealed record DataDescription(double[] Mean, double[] Std, IReadOnlyList<string> ClassNames, int[] ImageShape);
