using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Tests.Models;

public class BatchNormModeTests
{
    public BatchNormModeTests() => TorchRuntime.Initialize();

    private static Dictionary<string, Tensor> Buffers(Classifier model) =>
        model.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("wrn-10-1")]
    public void TrainNoUpdate_leaves_running_statistics_bit_identical(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, 3, 10);
        model.train();
        using (no_grad())
        {
            model.call(randn(4, 3, 16, 16) + 3); // away from the initial 0 / 1
        }
        var before = Buffers(model);
        Assert.Contains(before.Keys, k => k.EndsWith(".running_mean", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal));

        var logits = model.Forward(randn(4, 3, 16, 16) * 5, model.Weights, BatchNormMode.TrainNoUpdate);
        logits.sum().backward();

        foreach (var (name_, buffer) in model.named_buffers())
        {
            Assert.True(Bitwise.Same(before[name_], buffer), $"{name_} changed");
        }
    }

    [Fact]
    public void TrainUpdate_moves_running_statistics_and_counts_batches()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create("resnet20", 3, 10);
        var before = Buffers(model);
        using (no_grad())
        {
            model.Forward(randn(4, 3, 16, 16) * 5 + 3, model.Weights, BatchNormMode.TrainUpdate);
        }
        foreach (var (name, buffer) in model.named_buffers())
        {
            Assert.False(Bitwise.Same(before[name], buffer), $"{name} unchanged");
            if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            {
                Assert.Equal(1L, buffer.item<long>());
            }
        }
    }

    [Fact]
    public void Eval_output_of_an_image_does_not_depend_on_the_rest_of_the_batch()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create("small-cnn", 3, 10);
        using var _ = no_grad();
        model.train();
        model.call(randn(8, 3, 16, 16) + 1);
        var batch = randn(4, 3, 16, 16);
        var other = cat([batch[..1], randn(3, 3, 16, 16) * 4 + 2]);

        var eval = model.Forward(batch, model.Weights, BatchNormMode.Eval);
        var evalOther = model.Forward(other, model.Weights, BatchNormMode.Eval);
        var alone = model.Forward(batch[..1], model.Weights, BatchNormMode.Eval);
        Assert.True(eval[..1].allclose(evalOther[..1], rtol: 1e-4, atol: 1e-5));
        Assert.True(eval[..1].allclose(alone, rtol: 1e-4, atol: 1e-5));

        // The same comparison does see the batch in training mode, so it is a real check.
        var train = model.Forward(batch, model.Weights, BatchNormMode.TrainNoUpdate);
        var trainOther = model.Forward(other, model.Weights, BatchNormMode.TrainNoUpdate);
        Assert.False(train[..1].allclose(trainOther[..1], rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void State_dict_round_trip_carries_running_statistics()
    {
        using var scope = NewDisposeScope();
        using var source = ModelRegistry.Create("resnet20", 1, 10);
        using var target = ModelRegistry.Create("resnet20", 1, 10);
        using var _ = no_grad();
        source.train();
        source.call(randn(4, 1, 16, 16) * 3 + 1);
        var state = source.state_dict();
        Assert.Contains("stem.bn.running_var", state.Keys);
        Assert.Contains("stage2.0.shortcut.bn.num_batches_tracked", state.Keys);

        var (missing, unexpected) = target.load_state_dict(state);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        source.eval();
        target.eval();
        var x = randn(2, 1, 16, 16);
        Assert.True(Bitwise.Same(source.call(x), target.call(x)));
    }

    [Fact]
    public void A_model_built_inside_a_dispose_scope_outlives_it()
    {
        Classifier model;
        using (NewDisposeScope())
        {
            model = ModelRegistry.Create("small-cnn", 3, 4);
        }
        using (model)
        using (NewDisposeScope())
        {
            model.eval();
            Assert.Equal(new long[] { 1, 4 }, model.call(randn(1, 3, 8, 8)).shape);
        }
    }
}
