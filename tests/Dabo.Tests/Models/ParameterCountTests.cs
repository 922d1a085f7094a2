using Dabo.Models;

namespace Dabo.Tests.Models;

public class ParameterCountTests
{
    public ParameterCountTests() => TorchRuntime.Initialize();

    private static long Conv(long inC, long outC, long k) => inC * outC * k * k;

    private static long Bn(long c) => 2 * c;

    [Fact]
    public void ResNet18_matches_the_usual_cifar_count()
    {
        using var model = ModelRegistry.Create("resnet18", 3, 10);
        Assert.Equal(11_173_962, model.ParameterCount);
    }

    [Fact]
    public void ResNet20_is_the_paper_count_plus_two_projection_shortcuts()
    {
        // The paper's 0.27M (269,722) uses parameter-free zero-padding shortcuts; ours are 1×1 conv + BN.
        const long paper = 269_722;
        long projections = Conv(16, 32, 1) + Bn(32) + Conv(32, 64, 1) + Bn(64);
        using var model = ModelRegistry.Create("resnet20", 3, 10);
        Assert.Equal(paper + projections, model.ParameterCount);
        Assert.Equal(272_474, model.ParameterCount);
    }

    [Theory]
    [InlineData(16, 2, 3, 10)]
    [InlineData(10, 1, 1, 7)]
    [InlineData(22, 3, 3, 100)]
    public void WideResNet_count_follows_its_architecture(int depth, int k, int channels, int classes)
    {
        long n = (depth - 4) / 6;
        long expected = Conv(channels, 16, 3);
        long width = 16;
        foreach (long groupWidth in new long[] { 16 * k, 32 * k, 64 * k })
        {
            for (int b = 0; b < n; b++)
            {
                long inC = b == 0 ? width : groupWidth;
                expected += Bn(inC) + Conv(inC, groupWidth, 3) + Bn(groupWidth) + Conv(groupWidth, groupWidth, 3)
                    + (inC != groupWidth ? Conv(inC, groupWidth, 1) : 0); // stride 2 always comes with a width change
            }
            width = groupWidth;
        }
        expected += Bn(width) + width * classes + classes;

        using var model = ModelRegistry.Create($"wrn-{depth}-{k}", channels, classes);
        Assert.Equal(expected, model.ParameterCount);
    }

    [Fact]
    public void Wrn_16_2_has_the_hand_computed_count()
    {
        // stem 432 + groups 32,992 + 131,520 + 525,184 + final BN 256 + head 1,290.
        using var model = ModelRegistry.Create("wrn-16-2", 3, 10);
        Assert.Equal(691_674, model.ParameterCount);
    }

    [Fact]
    public void SmallCnn_count()
    {
        long expected = Conv(3, 32, 3) + Bn(32) + Conv(32, 64, 3) + Bn(64) + Conv(64, 128, 3) + Bn(128) + 128 * 10 + 10;
        using var model = ModelRegistry.Create("small-cnn", 3, 10);
        Assert.Equal(expected, model.ParameterCount);
        Assert.Equal(model.Weights.Sum(w => w.numel()), model.ParameterCount);
    }

    [Fact]
    public void Small_cnn_without_batchnorm_matches_the_pytorch_peer()
    {
        // conv 3→32, 32→64, 64→128 (3×3 with biases) and a 128→10 linear, as in pt_bilevel_step.py.
        using var model = ModelRegistry.Create("small-cnn-nobn", 3, 10);
        long expected = ((32 * 3 * 9) + 32) + ((64 * 32 * 9) + 64) + ((128 * 64 * 9) + 128) + ((10 * 128) + 10);
        Assert.Equal(expected, model.ParameterCount);
    }
}
