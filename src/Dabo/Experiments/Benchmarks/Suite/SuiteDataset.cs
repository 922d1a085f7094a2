namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>One dataset of <c>dabo bench suite</c>.</summary>
/// <param name="Name">Short name, also the folder of its runs (<c>fashion-mnist</c>, <c>gtsrb</c>).</param>
/// <param name="Path">Dataset path or name as <c>--dataset</c> takes it.</param>
/// <param name="Classes">Class count: the labelled images are drawn stratified, the same number per class.</param>
/// <param name="TrainSize">Labelled images drawn from the training split (a multiple of <paramref name="Classes"/>).</param>
/// <param name="Flip">Whether fixed augmentations may mirror (false for traffic signs, where a mirror changes the label).</param>
public sealed record SuiteDataset(string Name, string Path, int Classes, int TrainSize, bool Flip = true)
{
    /// <summary>Labelled images per class.</summary>
    public int PerClass => TrainSize / Classes;

    /// <summary>The shared data folder of this workplace, relative to the repository root.</summary>
    public const string SharedData = "../shared/data";

    /// <summary>Labelled images the suite aims at per dataset (a user with 1,000 labelled images).</summary>
    public const int LabelledImages = 1000;

    /// <summary>
    /// The four datasets, in the order the suite runs them: Fashion-MNIST (28 px grayscale, 10 classes),
    /// PBC blood cells (8), GTSRB traffic signs (43, no mirrors) and CIFAR-10 (10), all at their stored
    /// size (32 px RGB for the three archives of <paramref name="dataDirectory"/>). GTSRB draws 23 images
    /// per class (989), the largest stratified subset of at most 1,000; the others 1,000.
    /// </summary>
    public static IReadOnlyList<SuiteDataset> Defaults(string dataDirectory) =>
    [
        new("fashion-mnist", "fashion-mnist", 10, LabelledImages),
        new("pbc-blood", System.IO.Path.Combine(dataDirectory, "pbc-blood-32.tar.gz"), 8, LabelledImages),
        new("gtsrb", System.IO.Path.Combine(dataDirectory, "gtsrb-32.tar.gz"), 43, LabelledImages / 43 * 43, Flip: false),
        new("cifar10", System.IO.Path.Combine(dataDirectory, "cifar10-jpg.tar.gz"), 10, LabelledImages),
    ];

    /// <summary>The two datasets of <c>--quick</c>: one the project knows, one new domain; both cheap per step.</summary>
    public static IReadOnlyList<string> QuickNames { get; } = ["fashion-mnist", "pbc-blood"];
}
