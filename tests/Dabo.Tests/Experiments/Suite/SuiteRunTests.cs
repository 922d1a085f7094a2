using Dabo.Experiments;
using Dabo.Experiments.Benchmarks.Suite;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Experiments.Suite;

/// <summary>Tiny suites trained for real: 40 labelled 12-pixel images of 4 classes, a few steps.</summary>
[Collection("global-rng")]
public class SuiteRunTests
{
    public SuiteRunTests() => TorchRuntime.Initialize();

    private static readonly SuiteSchedule Tiny = new("short", 4);

    private static (SuitePlan Plan, SuiteDataset Data) Plan(string dir, IReadOnlyList<string> methods, IReadOnlyList<int> seeds)
    {
        TrainingData.WriteSeparable(Path.Combine(dir, "data"));
        var data = new SuiteDataset("tiny", Path.Combine(dir, "data"), TrainingData.Classes, 40);
        return (new SuitePlan([data], [Tiny], methods, seeds, Path.Combine(dir, "suite")) { BaseConfig = new TrainingConfig { Model = "small-cnn", BatchSize = 16, Lr = 0.05 } }, data);
    }

    private static RunSummary Summary(SuitePlan plan, SuiteDataset data, string method, SuiteTrainSet trainSet, int seed) =>
        new RunDirectory(plan.RunDirectory(data, Tiny, method, trainSet, seed)).LoadSummary() ?? throw new InvalidOperationException($"{method} {trainSet} {seed} did not finish");

    [Fact]
    public void Methods_at_a_seed_are_paired_and_fixed_methods_train_on_every_labelled_image()
    {
        using var dir = new TempDirectory();
        var (plan, data) = Plan(dir.Path, ["none", "trivialaugment", "learned-policy"], [0, 1]);
        var started = new List<string>();
        var outcome = new SuiteRunner(plan) { RunStarting = (r, _) => started.Add($"{r.Augment}/{r.TrainSet}/{r.Seed}") }.Run(null, waitForOthers: true);
        Assert.Equal(plan.Runs().Count, outcome.Trained);
        Assert.Equal("none/All/0", started[0]);

        var atSeed0 = new[]
        {
            Summary(plan, data, "none", SuiteTrainSet.All, 0),
            Summary(plan, data, "trivialaugment", SuiteTrainSet.All, 0),
            Summary(plan, data, "learned-policy", SuiteTrainSet.HoldOut, 0),
            Summary(plan, data, "none", SuiteTrainSet.HoldOut, 0),
        };
        Assert.All(atSeed0, s => Assert.NotNull(s.SubsetSha256));
        Assert.Single(atSeed0.Select(s => s.SubsetSha256).Distinct());
        Assert.Single(atSeed0.Select(s => s.InitialWeightsSha256).Distinct());
        var atSeed1 = Summary(plan, data, "none", SuiteTrainSet.All, 1);
        Assert.NotEqual(atSeed0[0].SubsetSha256, atSeed1.SubsetSha256); // each seed draws its own subset
        Assert.NotEqual(atSeed0[0].InitialWeightsSha256, atSeed1.InitialWeightsSha256);

        // The user's protocol: fixed methods train on all 40, the learned one on 32 with 8 held out.
        Assert.All(atSeed0[..2], s => Assert.Equal((40, 0), (s.TrainImages, s.ValImages)));
        Assert.Equal((32, 8), (atSeed0[2].TrainImages, atSeed0[2].ValImages));
        Assert.Equal(32, SuitePlan.TrainImages(data, SuiteTrainSet.HoldOut));

        started.Clear();
        Assert.Equal(0, new SuiteRunner(plan) { RunStarting = (r, _) => started.Add(r.Method) }.Run(null, waitForOthers: true).Trained);
        Assert.Empty(started);
    }

    [Fact]
    public void The_800_200_column_reproduces_compare_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var (plan, data) = Plan(dir.Path, ["none", "trivialaugment"], [0]);
        new SuiteRunner(plan).Run(null, waitForOthers: true);

        // compare (and bench accuracy) with the same settings: 80/20 split, data seed 0.
        var config = plan.Config(data, Tiny, "none", SuiteTrainSet.HoldOut, 0);
        var results = new Comparison(config, ["trivialaugment"], [0], dir.Combine("cmp")).Run(null, "dabo compare test");
        var viaCompare = new RunDirectory(results.Methods[0].RunDirectories[0]);
        var viaSuite = new RunDirectory(plan.RunDirectory(data, Tiny, "trivialaugment", SuiteTrainSet.HoldOut, 0));
        Assert.Equal(viaCompare.LoadSummary()!.TestAccuracy, viaSuite.LoadSummary()!.TestAccuracy);
        Assert.Equal(viaCompare.LoadMetrics().Select(m => (m.TrainLoss, m.ValLoss, m.TestLoss)), viaSuite.LoadMetrics().Select(m => (m.TrainLoss, m.ValLoss, m.TestLoss)));
    }

    [Fact]
    public void The_grid_runs_its_choice_at_every_seed_once_its_selection_has_finished()
    {
        using var dir = new TempDirectory();
        var (plan, data) = Plan(dir.Path, [SuiteMethods.Grid], [0, 1]);
        var order = new List<string>();
        new SuiteRunner(plan) { RunStarting = (r, _) => order.Add($"{r.Role}/{r.TrainSet}/{r.Seed}") }.Run(null, waitForOthers: true);
        string choice = plan.GridChoice(data, Tiny)!;
        Assert.Contains(choice, SuiteMethods.GridConfigurations);
        Assert.Equal(Enumerable.Repeat("GridSelection/HoldOut/0", 6), order.Take(6));
        Assert.Equal(["GridChosen/All/0", "GridChosen/All/1", "GridChosen/HoldOut/1"], order.Skip(6));
        Assert.All(plan.Runs(), r => Assert.True(r.Job is { IsFinished: true }));
    }
}
