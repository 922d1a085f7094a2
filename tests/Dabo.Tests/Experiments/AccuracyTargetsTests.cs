using Dabo.Experiments;
using Dabo.Experiments.Benchmarks;
using Dabo.Training;

namespace Dabo.Tests.Experiments;

public class AccuracyTargetsTests
{
    private static MethodResult Method(string name, double test, double? val, double wallTotal) =>
        new(name, 1, test, 0, val, test, wallTotal, wallTotal, null, []);

    private static ComparisonResults Results(params MethodResult[] methods) =>
        new("fashion-mnist", "small-cnn", 200, 1000, methods, "dabo bench accuracy", new Dictionary<string, string>(), "2026-11-26");

    [Fact]
    public void The_learned_method_is_chosen_by_validation_not_test()
    {
        var results = Results(
            Method("none", 0.80, 0.80, 100),
            Method("learned-affine", 0.90, 0.81, 300), // best on test
            Method("standard+learned-affine", 0.82, 0.85, 300)); // best on validation
        Assert.Equal("standard+learned-affine", AccuracyTargets.BestLearned(results)!.Method);
    }

    [Fact]
    public void Every_target_met()
    {
        var checks = AccuracyTargets.Check(Results(
            Method("none", 0.80, 0.80, 100),
            Method("trivialaugment", 0.83, 0.83, 100),
            Method("grid:random-affine", 0.82, 0.84, 2000),
            Method("learned-affine", 0.835, 0.85, 300)));
        Assert.Equal(3, checks.Count);
        Assert.All(checks, c => Assert.True(c.Met, $"{c.Target}: {c.Figure}"));
        Assert.Equal("+3.50 pts", checks[0].Figure);
        Assert.Equal("+1.50 pts at 0.15× its total wall time", checks[1].Figure);
    }

    [Fact]
    public void Each_target_can_be_missed_on_its_own()
    {
        var smallGain = AccuracyTargets.Check(Results(Method("none", 0.80, 0.8, 100), Method("learned-affine", 0.829, 0.8, 100)));
        Assert.False(smallGain[0].Met);

        var tooExpensive = AccuracyTargets.Check(Results(Method("grid:random-affine", 0.80, 0.8, 1000), Method("learned-affine", 0.85, 0.8, 250)));
        Assert.False(tooExpensive[1].Met); // better, but at 0.25× the cost

        var worseThanGrid = AccuracyTargets.Check(Results(Method("grid:random-affine", 0.86, 0.8, 1000), Method("learned-affine", 0.85, 0.8, 100)));
        Assert.False(worseThanGrid[1].Met); // cheap, but worse

        var belowTrivial = AccuracyTargets.Check(Results(Method("trivialaugment", 0.851, 0.8, 100), Method("learned-affine", 0.85, 0.8, 100)));
        Assert.False(belowTrivial[2].Met);
        Assert.Null(belowTrivial[0].Met); // none was not run
    }

    [Fact]
    public void Without_a_learned_method_nothing_is_checked_and_the_markdown_says_so_when_there_is_one()
    {
        Assert.Empty(AccuracyTargets.Check(Results(Method("none", 0.8, 0.8, 1))));
        var protocol = new AccuracyProtocol("fashion-mnist", new TrainingConfig { TrainSize = 1000 }, ["none", "learned-affine"], [0], [0]);
        string markdown = AccuracyBenchmark.Markdown([(protocol, Results(Method("none", 0.80, 0.8, 100), Method("learned-affine", 0.81, 0.8, 200)))], "dabo bench accuracy");
        Assert.Contains("≥ +3 pts over none: **missed** (+1.00 pts)", markdown);
        Assert.Contains("matches or beats TrivialAugment: **not checked**", markdown);
    }

    [Fact]
    public void The_shuffled_control_is_never_the_chosen_learned_method()
    {
        var results = Results(Method("learned-policy", 0.84, 0.85, 300), Method("learned-policy-shuffled", 0.86, 0.90, 300));
        Assert.Equal("learned-policy", AccuracyTargets.BestLearned(results)!.Method);
    }

    [Theory]
    [InlineData(0.855, 0.849, 0.849, 0.849, true, true, true)]  // 0.6 pts over each
    [InlineData(0.852, 0.849, 0.840, 0.840, false, true, true)] // only 0.3 over RandAugment
    [InlineData(0.855, 0.845, 0.852, 0.840, true, false, true)] // only 0.3 over its prior
    [InlineData(0.855, 0.845, 0.840, 0.852, true, true, false)] // only 0.3 over its control
    public void Learned_policy_targets_compare_with_the_best_hand_designed_policy_its_prior_and_its_control(
        double policy, double rand, double uniform, double control, bool overHand, bool overPrior, bool overControl)
    {
        var checks = AccuracyTargets.Check(Results(
            Method("none", 0.80, 0.80, 100),
            Method("trivialaugment", 0.84, 0.84, 100),
            Method("randaugment", rand, 0.84, 100),
            Method("uniform-policy", uniform, 0.84, 100),
            Method("learned-policy", policy, 0.86, 300),
            Method("learned-policy-shuffled", control, 0.83, 300)));
        Assert.Equal(6, checks.Count);
        Assert.Equal(overHand, checks[3].Met);
        Assert.Equal(overPrior, checks[4].Met);
        Assert.Equal(overControl, checks[5].Met);
        Assert.Contains("over randaugment", checks[3].Figure);
    }
}
