using Dabo.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Models;

public class FunctionalForwardTests
{
    public FunctionalForwardTests() => TorchRuntime.Initialize();

    private static Tensor Labels(int n, int classes) => arange(n, dtype: int64) % classes;

    // Largest elementwise difference over the largest magnitude of the reference.
    private static double RelativeDifference(Tensor actual, Tensor expected) =>
        (actual - expected).abs().max().to_type(ScalarType.Float64).item<double>()
        / Math.Max(expected.abs().max().to_type(ScalarType.Float64).item<double>(), 1e-300);

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("resnet20")]
    [InlineData("wrn-10-2")]
    public void Own_weights_reproduce_the_module_forward(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, 3, 10);
        var x = randn(4, 3, 16, 16);
        using (no_grad())
        {
            // Non-trivial running statistics, so that Eval really reads them.
            model.train();
            for (int i = 0; i < 3; i++)
            {
                model.call(randn(4, 3, 16, 16) * 2 + 1);
            }

            var moduleTrain = model.call(x);
            var functionalTrain = model.Forward(x, model.Weights, BatchNormMode.TrainNoUpdate);
            Assert.True(Bitwise.Same(moduleTrain, functionalTrain));

            model.eval();
            var moduleEval = model.call(x);
            var functionalEval = model.Forward(x, model.Weights, BatchNormMode.Eval);
            Assert.True(Bitwise.Same(moduleEval, functionalEval));
            Assert.False(moduleEval.allclose(moduleTrain));
        }
    }

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("resnet20")]
    [InlineData("wrn-10-2")]
    public void Substituted_weights_change_the_output_and_have_second_order_gradients(string name)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, 3, 10);
        var x = randn(4, 3, 16, 16);
        var y = Labels(4, 10);
        var own = model.Weights;
        var scaled = own.Select(w => w * 1.1).ToArray();
        Assert.All(scaled, w => Assert.True(w.requires_grad && !w.is_leaf));

        var original = model.Forward(x, own, BatchNormMode.TrainNoUpdate);
        var logits = model.Forward(x, scaled, BatchNormMode.TrainNoUpdate);
        Assert.False(logits.allclose(original, rtol: 1e-3, atol: 1e-4));

        var loss = nn.functional.cross_entropy(logits, y);
        var grads = autograd.grad([loss], scaled, create_graph: true, retain_graph: true);
        Assert.Equal(scaled.Length, grads.Count);
        Assert.All(grads, g => Assert.True(isfinite(g).all().item<bool>()));
        Assert.True(grads.Sum(g => g.abs().sum().item<float>()) > 0);

        // d/dw of ‖∂L/∂w'‖² goes back through conv2d / batch_norm / linear double-backward and w' = 1.1 w.
        var gradNorm = grads.Aggregate(tensor(0f), (acc, g) => acc + g.pow(2).sum());
        var second = autograd.grad([gradNorm], own.ToArray<Tensor>());
        Assert.All(second, g => Assert.True(isfinite(g).all().item<bool>()));
        Assert.True(second.Sum(g => g.abs().sum().item<float>()) > 0);
    }

    [Fact]
    public void Look_ahead_validation_loss_differentiates_through_the_training_gradient()
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create("small-cnn", 1, 7);
        var w = model.Weights.ToArray<Tensor>();
        var trainLoss = nn.functional.cross_entropy(
            model.Forward(randn(4, 1, 12, 12), w, BatchNormMode.TrainNoUpdate), Labels(4, 7));
        var g = autograd.grad([trainLoss], w, create_graph: true, retain_graph: true);
        var lookAhead = w.Zip(g, (wi, gi) => wi - 0.1 * gi).ToArray();
        var valLoss = nn.functional.cross_entropy(
            model.Forward(randn(4, 1, 12, 12), lookAhead, BatchNormMode.TrainNoUpdate), Labels(4, 7));
        var hyper = autograd.grad([valLoss], g.ToArray());
        Assert.True(hyper.Sum(h => h.abs().sum().item<float>()) > 0);
    }

    [Fact]
    public void Hessian_vector_product_matches_finite_differences_in_double()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        using var model = ModelRegistry.Create("small-cnn", 2, 3);
        model.to(float64);
        var w = model.Weights.ToArray<Tensor>();
        Assert.All(w, t => Assert.Equal(ScalarType.Float64, t.dtype));
        var y = Labels(3, 3);

        // A ReLU or max-pool switch between w − εv and w + εv makes the difference quotient blow up
        // (seen in about 1 run in 4 at ε = 1e-6), so a few fresh (x, v) draws are allowed; a wrong
        // Hessian-vector product fails them all.
        const double eps = 1e-7;
        var errors = new List<double>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var x = randn([3, 2, 8, 8], dtype: float64, generator: gen);
            var v = w.Select(t => randn(t.shape, dtype: float64, generator: gen)).ToArray();

            Tensor Loss(IReadOnlyList<Tensor> weights) =>
                nn.functional.cross_entropy(model.Forward(x, weights, BatchNormMode.TrainNoUpdate), y);

            var g = autograd.grad([Loss(w)], w, create_graph: true, retain_graph: true);
            var gv = g.Zip(v, (gi, vi) => (gi * vi).sum()).Aggregate((a, b) => a + b);
            var hv = cat(autograd.grad([gv], w).Select(t => t.flatten()).ToArray());

            Tensor GradAt(double sign)
            {
                var shifted = w.Zip(v, (wi, vi) => (wi + sign * eps * vi).detach().requires_grad_()).ToArray();
                return cat(autograd.grad([Loss(shifted)], shifted).Select(t => t.flatten()).ToArray());
            }
            var fd = (GradAt(+1) - GradAt(-1)) / (2 * eps);
            Assert.True(hv.norm().item<double>() > 0);

            errors.Add(((hv - fd).norm() / fd.norm()).item<double>());
            if (errors[^1] < 1e-6)
            {
                return;
            }
        }
        Assert.Fail($"relative errors {string.Join(", ", errors)}");
    }
    [Theory]
    [InlineData("small-cnn", 3)]
    [InlineData("small-cnn", 1)]
    [InlineData("resnet20", 3)]
    public void First_order_forward_runs_channels_last_and_computes_what_the_second_order_layout_computes(string name, int channels)
    {
        using var scope = NewDisposeScope();
        using var model = ModelRegistry.Create(name, channels, 10);
        var y = Labels(8, 10);

        // The layouts really differ (float32, the training precision): the second convolution's weight
        // gradient comes out channels-last (channel stride 1) from the first-order forward, contiguous from the other.
        var w = model.Weights.ToArray<Tensor>();
        var x = randn(8, channels, 16, 16);
        var fastGrads = autograd.grad([nn.functional.cross_entropy(model.Forward(x, w, BatchNormMode.TrainNoUpdate), y)], w);
        var plainGrads = autograd.grad([nn.functional.cross_entropy(model.Forward(x, w, BatchNormMode.TrainNoUpdate, secondOrder: true), y)], w);
        int second = Array.FindIndex(w, t => t.dim() == 4 && t.shape[1] > 1);
        Assert.Equal(1, fastGrads[second].stride(1));
        Assert.True(plainGrads[second].is_contiguous());

        // The same function: in float64, so that float32's rounding (amplified by BatchNorm's backward at a
        // random initialization) does not hide a real difference. A narrowed batch (a view with a storage
        // offset), as a training loop slices its batches.
        model.to(ScalarType.Float64);
        w = model.Weights.ToArray<Tensor>();
        var x64 = randn(12, channels, 16, 16, dtype: ScalarType.Float64).narrow(0, 4, 8);
        var fast = model.Forward(x64, w, BatchNormMode.TrainNoUpdate);
        var plain = model.Forward(x64, w, BatchNormMode.TrainNoUpdate, secondOrder: true);
        Assert.True(RelativeDifference(fast, plain) < 1e-10, "logits");
        fastGrads = autograd.grad([nn.functional.cross_entropy(fast, y)], w);
        plainGrads = autograd.grad([nn.functional.cross_entropy(plain, y)], w);
        for (int i = 0; i < w.Length; i++)
        {
            double difference = RelativeDifference(fastGrads[i], plainGrads[i]);
            Assert.True(difference < 1e-8, $"gradient {i}: {difference}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Channels_last_updates_running_statistics_and_evaluates_like_NCHW(int channels)
    {
        using var scope = NewDisposeScope();
        using var fast = ModelRegistry.Create("small-cnn", channels, 10);
        using var plain = ModelRegistry.Create("small-cnn", channels, 10);
        plain.load_state_dict(fast.state_dict());
        for (int i = 0; i < 3; i++)
        {
            var x = randn(16, channels, 12, 12) * 2 + 1;
            fast.Forward(x, fast.Weights, BatchNormMode.TrainUpdate);
            plain.Forward(x, plain.Weights, BatchNormMode.TrainUpdate, secondOrder: true);
        }
        var fastBuffers = fast.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        foreach (var (name, buffer) in plain.named_buffers())
        {
            Assert.True(fastBuffers[name].to_type(ScalarType.Float64).allclose(buffer.to_type(ScalarType.Float64), rtol: 1e-4, atol: 1e-5), name);
        }
        var test = randn(8, channels, 12, 12);
        Assert.True(fast.Forward(test, fast.Weights, BatchNormMode.Eval)
            .allclose(plain.Forward(test, plain.Weights, BatchNormMode.Eval, secondOrder: true), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void A_custom_module_receives_its_input_contiguous()
    {
        using var scope = NewDisposeScope();
        // view() fails on a channels-last tensor: the wrapper must not change the layout a user's module sees.
        var inner = nn.Sequential(("flatten", new ViewFlatten()), ("head", nn.Linear(3 * 8 * 8, 4)));
        using var model = new ModuleClassifier(inner, 3, 4);
        var logits = model.Forward(randn(2, 3, 8, 8), model.Weights, BatchNormMode.TrainNoUpdate);
        Assert.Equal([2L, 4L], logits.shape);
    }

    private sealed class ViewFlatten() : nn.Module<Tensor, Tensor>("view_flatten")
    {
        public override Tensor forward(Tensor input) => input.view(input.shape[0], -1);
    }
}
