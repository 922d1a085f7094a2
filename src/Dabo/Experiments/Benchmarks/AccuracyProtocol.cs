using Dabo.Training;

namespace Dabo.Experiments.Benchmarks;

/// <summary>
/// One low-data accuracy protocol of <c>dabo bench accuracy</c>: a dataset subset, a classifier, a
/// schedule long enough for augmentation to matter, and the methods compared on it.
/// </summary>
/// <param name="Name">Short name (<c>fashion-mnist</c>, <c>cifar10</c>).</param>
/// <param name="Config">Everything but method and seed.</param>
/// <param name="Methods">Methods compared (a <c>grid:…</c> method is a whole grid search).</param>
/// <param name="Seeds">Training seeds.</param>
/// <param name="Grid">Magnitudes of the grid search.</param>
public sealed record AccuracyProtocol(string Name, TrainingConfig Config, IReadOnlyList<string> Methods, IReadOnlyList<int> Seeds, IReadOnlyList<double> Grid)
{
    /// <summary>The shared CIFAR-10 archive of this workplace, relative to the repository root.</summary>
    public const string SharedCifar10 = "../shared/data/cifar10-jpg.tar.gz";

    /// <summary>
    /// The protocols. Full mode follows the measured step counts (Fashion-MNIST 200 epochs of 25 steps =
    /// 5,000 steps; CIFAR-10 150 epochs of 100 steps = 15,000) with seeds 0, 1, 2; quick mode uses one seed,
    /// fewer epochs and fewer methods on CIFAR-10 so that it ends in about a quarter of an hour on 2 cores.
    /// </summary>
    public static IReadOnlyList<AccuracyProtocol> Create(bool quick, string cifar10Path)
    {
        int[] seeds = quick ? [0] : [0, 1, 2];
        double[] grid = quick ? [0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
        var fashion = new TrainingConfig
        {
            Dataset = "fashion-mnist",
            Model = "small-cnn",
            TrainSize = 1000,
            BatchSize = 32,
            Epochs = quick ? 40 : 200,
            Lr = 0.05,
            TestEvery = quick ? 20 : 25,
        };
        var cifar = fashion with
        {
            Dataset = cifar10Path,
            TrainSize = 4000,
            Epochs = quick ? 6 : 150,
            TestEvery = quick ? 6 : 25,
        };
        string[] fashionMethods = ["none", "standard", "trivialaugment", "randaugment", "uniform-policy", "learned-policy", "learned-policy-shuffled", "grid:random-affine", "learned-affine", "standard+learned-affine"];
        string[] cifarMethods = quick
            ? ["none", "standard", "standard+learned-affine"]
            : ["none", "standard", "trivialaugment", "randaugment", "uniform-policy", "learned-policy", "learned-policy-shuffled", "grid:random-affine", "learned-affine", "learned-affine-color", "standard+learned-affine"];
        return
        [
            new AccuracyProtocol("fashion-mnist", fashion, fashionMethods, seeds, grid),
            new AccuracyProtocol("cifar10", cifar, cifarMethods, seeds, grid),
        ];
    }
}
