using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Tests.Models;

public class ModelRegistryTests
{
    public ModelRegistryTests() => TorchRuntime.Initialize();

    [Fact]
    public void Unknown_name_throws_a_one_line_message_listing_valid_names()
    {
        var e = Assert.Throws<DaboException>(() => ModelRegistry.Create("resnet50", 3, 10));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("resnet50", e.Message, StringComparison.Ordinal);
        foreach (var name in ModelRegistry.Names)
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("wrn-15-2")]
    [InlineData("wrn-4-2")]
    [InlineData("wrn-16-0")]
    public void Invalid_wide_resnet_is_a_user_error(string name)
    {
        var e = Assert.Throws<DaboException>(() => ModelRegistry.Create(name, 3, 10));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("small-cnn", typeof(SmallCnn))]
    [InlineData("ResNet18", typeof(ResNet18))]
    [InlineData("resnet20", typeof(ResNet20))]
    [InlineData("wrn-10-3", typeof(WideResNet))]
    public void Names_resolve_to_their_networks(string name, Type type)
    {
        using var model = ModelRegistry.Create(name, 1, 3);
        Assert.IsType(type, model);
    }

    [Fact]
    public void Names_lists_every_family()
    {
        Assert.Equal(["small-cnn", "resnet18", "resnet20", "mlp", "small-cnn-nobn", "wrn-D-K"], ModelRegistry.Names);
    }
}

// The global generator is shared by every test running in parallel: read it alone.
[CollectionDefinition(nameof(GlobalSeedCollection), DisableParallelization = true)]
public class GlobalSeedCollection;

[Collection(nameof(GlobalSeedCollection))]
public class ModelInitializationTests
{
    public ModelInitializationTests() => TorchRuntime.Initialize();

    private static Tensor[] WeightsAfterSeed(long seed)
    {
        manual_seed(seed);
        using var model = ModelRegistry.Create("resnet20", 3, 10);
        return model.Weights.Select(w => w.detach().clone()).ToArray();
    }

    [Fact]
    public void Initialization_is_deterministic_under_manual_seed()
    {
        using var scope = NewDisposeScope();
        var a = WeightsAfterSeed(1);
        var b = WeightsAfterSeed(1);
        var c = WeightsAfterSeed(2);
        Assert.All(a.Zip(b), p => Assert.True(Bitwise.Same(p.First, p.Second)));
        Assert.Contains(a.Zip(c), p => !Bitwise.Same(p.First, p.Second));
    }

    [Fact]
    public void Convolutions_are_kaiming_normal_fan_out_and_batch_norms_identity()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = ModelRegistry.Create("wrn-10-4", 3, 10);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var conv = p["group3.0.conv2.weight"]; // 256 → 256, 3×3: fan_out 2304
        double expected = Math.Sqrt(2.0 / (256 * 9));
        double std = conv.std().item<float>();
        Assert.InRange(std, expected * 0.97, expected * 1.03);
        Assert.True(Bitwise.Same(p["group1.0.bn1.weight"], ones(16)));
        Assert.True(Bitwise.Same(p["final.bn.bias"], zeros(256)));
    }
}
