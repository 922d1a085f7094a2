using Dabo.Experiments.Benchmarks;
using Dabo.Tests.Cli;

namespace Dabo.Tests.Experiments;

public class AccuracyProtocolTests
{
    private static int Steps(AccuracyProtocol p) =>
        p.Config.Epochs * (int)Math.Ceiling(p.Config.TrainSize!.Value * (1 - p.Config.ValRatio) / p.Config.BatchSize);

    [Fact]
    public void Full_protocols_train_long_enough_with_three_seeds_and_every_method()
    {
        var protocols = AccuracyProtocol.Create(quick: false, "cifar.tar.gz");
        var fashion = protocols.Single(p => p.Name == "fashion-mnist");
        var cifar = protocols.Single(p => p.Name == "cifar10");
        Assert.True(Steps(fashion) >= 5000, $"fashion-mnist: {Steps(fashion)} steps");
        Assert.True(Steps(cifar) >= 15000, $"cifar10: {Steps(cifar)} steps");
        Assert.All(protocols, p => Assert.Equal([0, 1, 2], p.Seeds));
        foreach (var m in new[] { "none", "standard", "trivialaugment", "randaugment", "grid:random-affine", "learned-affine", "standard+learned-affine" })
        {
            Assert.All(protocols, p => Assert.Contains(m, p.Methods));
        }
        Assert.Contains("learned-affine-color", cifar.Methods);
        Assert.Equal(4000, cifar.Config.TrainSize);
        Assert.Equal(1000, fashion.Config.TrainSize);
    }

    [Fact]
    public void Unknown_protocol_exits_2()
    {
        var (code, _, err) = CliRunner.Run("bench", "accuracy", "--protocols", "imagenet");
        Assert.Equal(2, code);
        Assert.Contains("imagenet", err);
    }
}
