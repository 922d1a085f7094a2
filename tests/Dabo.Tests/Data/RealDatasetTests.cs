using Dabo.Data;

namespace Dabo.Tests.Data;

/// <summary>
/// Integration tests on the two real datasets: Fashion-MNIST (installed by scripts/setup.sh) and the
/// CIFAR-10 JPEG archive that the accuracy benchmark reads by default (<see cref="Dabo.Experiments.Benchmarks.AccuracyProtocol.SharedCifar10"/>,
/// see docs/install.md). They fail, never skip, when the data is missing.
/// </summary>
public class RealDatasetTests
{
    public RealDatasetTests() => TorchRuntime.Initialize();

    internal static string SharedCifar10()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "cifar10-jpg.tar.gz");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
            dir = dir.Parent;
        }
        throw new FileNotFoundException("../shared/data/cifar10-jpg.tar.gz not found above the test directory");
    }

    [Fact]
    public void Fashion_mnist_by_name()
    {
        using var ds = DatasetLoader.Load("fashion-mnist");
        Assert.Equal(60000, ds.Train.Count);
        Assert.Equal(10000, ds.Test.Count);
        Assert.Equal([1, 28, 28], ds.Shape);
        Assert.Equal("Ankle boot", ds.ClassNames[9]);
        Assert.InRange(ds.Mean[0], 0.28, 0.29);
    }

    [Fact]
    public void Cifar10_jpeg_archive()
    {
        using var ds = DatasetLoader.Load(SharedCifar10());
        Assert.Equal(DatasetFormat.ImageFolder, ds.Format);
        Assert.Equal(50000, ds.Train.Count);
        Assert.Equal(10000, ds.Test.Count);
        Assert.Equal([3, 32, 32], ds.Shape);
        Assert.Equal(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"], ds.ClassNames);
        Assert.All(ds.Train.CountsPerClass(10), c => Assert.Equal(5000, c));
    }
}
