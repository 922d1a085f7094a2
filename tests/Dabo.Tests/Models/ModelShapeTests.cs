using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Tests.Models;

public class ModelShapeTests
{
    public ModelShapeTests() => TorchRuntime.Initialize();

    public static TheoryData<string, int, int, int> Cases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var name in new[] { "small-cnn", "mlp", "small-cnn-nobn", "resnet18", "resnet20", "wrn-10-1", "wrn-16-2" })
        {
            data.Add(name, 1, 10, 28);
            data.Add(name, 3, 7, 32);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_gives_one_logit_per_class(string name, int channels, int classes, int size)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, channels, classes);
        model.eval();
        using var _ = no_grad();
        var logits = model.call(randn(2, channels, size, size));
        Assert.Equal(new long[] { 2, classes }, logits.shape);
        Assert.True(isfinite(logits).all().item<bool>());
        Assert.Equal(channels, model.InputChannels);
        Assert.Equal(classes, model.ClassCount);
        Assert.Equal(name, model.Name);
    }

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("resnet20")]
    [InlineData("wrn-10-1")]
    public void Non_square_odd_sized_images_work(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, 3, 5);
        var logits = model.call(randn(2, 3, 13, 21));
        Assert.Equal(new long[] { 2, 5 }, logits.shape);
    }

    [Fact]
    public void Wrong_channel_count_is_rejected_with_the_expected_shape()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create("small-cnn", 3, 10);
        var e = Assert.Throws<ArgumentException>(() => model.call(randn(2, 1, 16, 16)));
        Assert.Contains("[N, 3, H, W]", e.Message, StringComparison.Ordinal);
    }
}
