using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Augmentation.Operations;

public class PolicyDistributionTests
{
    [Fact]
    public void UniformLogitsHaveZeroKlAndFullEntropy()
    {
        using var distribution = new PolicyDistribution(PolicySpace.TrivialAugmentWide(3), 2);
        using var kl = distribution.KlToUniform();
        Assert.Equal(0, kl.item<double>(), 12);
        Assert.Equal(2 * Math.Log(14), distribution.OperationEntropy(), 9);
    }

    [Fact]
    public void SamplesFollowTheLogits()
    {
        using var scope = NewDisposeScope();
        using var distribution = new PolicyDistribution(PolicySpace.TrivialAugmentWide(3), 1);
        var rotate = distribution.Space.IndexOf("rotate");
        using (no_grad())
        {
            // exp(2) ≈ 7.39: rotate gets 7.39 / (13 + 7.39) ≈ 36 % of the draws; its bin 30 half of rotate's.
            distribution.OperationLogits[0, rotate] = tensor(2.0);
            distribution.MagnitudeLogits[0, rotate, 30] = tensor(Math.Log(30.0));
        }
        using var g = new Generator(4);
        using var draw = distribution.Sample(20000, g);
        var isRotate = draw.Operations == rotate;
        var share = isRotate.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(share, 0.34, 0.385);
        var lastBin = (draw.Bins == 30).logical_and(isRotate).sum().item<long>() / (double)isRotate.sum().item<long>();
        Assert.InRange(lastBin, 0.47, 0.53);
    }

    [Fact]
    public void LogProbabilityMatchesTheProbabilitiesAndHasGradients()
    {
        using var scope = NewDisposeScope();
        using var distribution = new PolicyDistribution(PolicySpace.TrivialAugmentWide(1), 2);
        using (no_grad())
        {
            distribution.OperationLogits.copy_(randn(2, 13, dtype: ScalarType.Float64, generator: new Generator(1)));
            distribution.MagnitudeLogits.copy_(randn(2, 13, 31, dtype: ScalarType.Float64, generator: new Generator(2)));
        }
        using var g = new Generator(5);
        using var draw = distribution.Sample(7, g);
        distribution.OperationLogits.requires_grad_(true);
        var logq = distribution.LogProbability(draw);
        var ops = draw.Operations.data<long>().ToArray();
        var bins = draw.Bins.data<long>().ToArray();
        var p = distribution.OperationProbabilities();
        var m = distribution.MagnitudeProbabilities();
        var space = distribution.Space;
        for (int i = 0; i < 7; i++)
        {
            double expected = 0;
            for (int s = 0; s < 2; s++)
            {
                var o = ops[s * 7 + i];
                expected += Math.Log(p[s, o].item<double>());
                if (space.Entries[(int)o].Range is not null)
                {
                    expected += Math.Log(m[s, o, bins[s * 7 + i]].item<double>());
                }
            }
            Assert.Equal(expected, logq[i].item<double>(), 9);
        }
        logq.sum().backward();
        Assert.True(distribution.OperationLogits.grad is { } grad && grad.abs().sum().item<double>() > 0);
        distribution.OperationLogits.requires_grad_(false);
    }
}
