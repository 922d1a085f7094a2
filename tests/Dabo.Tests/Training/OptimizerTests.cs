using Dabo.Training;
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
