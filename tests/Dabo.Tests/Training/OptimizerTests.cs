using Dabo.Training;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

public class OptimizerTests
{
    public OptimizerTests() => TorchRuntime.Initialize();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_matches_torch_sgd(bool nesterov)
    {
        using var scope = NewDisposeScope();
        var start = randn(5, 3, dtype: ScalarType.Float64);
        var a = new TorchSharp.Modules.Parameter(start.clone());
        var b = new TorchSharp.Modules.Parameter(start.clone());
        using var ours = new SgdMomentum([a], 0.9, 1e-2, nesterov);
        var theirs = optim.SGD([b], 0.1, momentum: 0.9, weight_decay: 1e-2, nesterov: nesterov);
        for (int step = 0; step < 5; step++)
        {
            var g = randn(5, 3, dtype: ScalarType.Float64);
            ours.Step([g], 0.1);
            b.grad = g.clone();
            theirs.step();
        }
        Assert.True(allclose(a, b, rtol: 1e-12, atol: 1e-12));
    }

    [Theory]
    [InlineData(0.9, 1e-2, false)]
    [InlineData(0.9, 1e-2, true)]
    [InlineData(0.0, 0.0, false)]
    [InlineData(0.5, 0.0, true)]
    [InlineData(0.0, 5e-4, false)]
    public void Functional_and_in_place_rule_agree_bit_for_bit(double momentum, double weightDecay, bool nesterov)
    {
        using var scope = NewDisposeScope();
        var rule = new SgdRule(momentum, weightDecay, nesterov);
        var w = randn(7, 4, dtype: ScalarType.Float64);
        var m = randn(7, 4, dtype: ScalarType.Float64);
        var (wInPlace, mInPlace) = (w.clone(), m.clone());
        for (int step = 0; step < 4; step++)
        {
            var g = randn(7, 4, dtype: ScalarType.Float64);
            (w, m) = rule.Step(w, m, g, 0.1);
            rule.StepInPlace(wInPlace, mInPlace, g, 0.1);
        }
        Assert.True((w == wInPlace).all().item<bool>() && (m == mInPlace).all().item<bool>(), $"max weight difference {(w - wInPlace).abs().max().ToDouble():E2}");
        // And both are the textbook update, to 1e-12.
        var (w0, m0, g0) = (randn(3, dtype: ScalarType.Float64), randn(3, dtype: ScalarType.Float64), randn(3, dtype: ScalarType.Float64));
        var d = g0 + (weightDecay * w0);
        var next = (momentum * m0) + d;
        var expected = w0 - (0.1 * (nesterov ? d + (momentum * next) : next));
        Assert.True(allclose(rule.Step(w0, m0, g0, 0.1).Weight, expected, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Functional_rule_keeps_the_graph()
    {
        using var scope = NewDisposeScope();
        var rule = new SgdRule(0.9, 1e-2, Nesterov: true);
        var g = randn(5, dtype: ScalarType.Float64).requires_grad_(true);
        var (w1, _) = rule.Step(randn(5, dtype: ScalarType.Float64), zeros(5, dtype: ScalarType.Float64), g, 0.1);
        var dw = torch.autograd.grad([w1.sum()], [g])[0];
        // ∂w'/∂g = −η (1 + μ) with Nesterov, the factor the K = 1 identity uses.
        Assert.True(allclose(dw, full(5, rule.GradientFactor(0.1), dtype: ScalarType.Float64), rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Step_schedule_scales_with_the_run_length()
    {
        var s = new LearningRateSchedule(ScheduleKind.Step, 0.1, totalSteps: 1000);
        Assert.Equal(0.1, s.At(0), 12);
        Assert.Equal(0.02, s.At(300), 12);
        Assert.Equal(0.004, s.At(600), 12);
        Assert.Equal(0.0008, s.At(800), 12);
        Assert.Equal(0.1, s.At(299), 12);
    }

    [Fact]
    public void Cosine_schedule_with_warmup()
    {
        var s = new LearningRateSchedule(ScheduleKind.Cosine, 0.1, totalSteps: 110, warmupSteps: 10);
        Assert.Equal(0.01, s.At(0), 12);
        Assert.Equal(0.1, s.At(9), 12);
        Assert.Equal(0.1, s.At(10), 12);
        Assert.Equal(0.05, s.At(60), 12);
        Assert.True(s.At(109) < 0.001);
    }
}
