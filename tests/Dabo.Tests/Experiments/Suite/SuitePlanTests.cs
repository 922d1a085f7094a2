using System.Text.Json;
using Dabo.Experiments.Benchmarks.Suite;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Experiments.Suite;

public class SuitePlanTests
{
    private static SuitePlan Full(string dir) => new(SuiteDataset.Defaults("/data"), SuiteSchedule.Defaults, SuiteMethods.Defaults, [0, 1, 2], dir);

    [Fact]
    public void Quick_runs_are_a_subset_of_the_full_suites_with_the_same_configurations()
    {
        var full = Full("out").Runs().Where(r => r.Job is not null).ToDictionary(r => r.Job!.Directory, r => r.Job!.Config);
        var quickDatasets = SuiteDataset.Defaults("/data").Where(d => SuiteDataset.QuickNames.Contains(d.Name)).ToList();
        var quick = new SuitePlan(quickDatasets, [SuiteSchedule.Short], SuiteMethods.Defaults, [0], "out") { SplitColumn = false }.Runs().Where(r => r.Job is not null).ToList();
        Assert.NotEmpty(quick);
        Assert.All(quick, r => Assert.Equal(full[r.Job!.Directory], r.Job.Config));
    }

    [Fact]
    public void Runs_come_in_phase_order_each_directory_once()
    {
        var runs = Full("out").Runs();
        Assert.Equal(runs.Select(r => r.Phase).Order(), runs.Select(r => r.Phase));
        var directories = runs.Where(r => r.Job is not null).Select(r => r.Job!.Directory).ToList();
        Assert.Equal(directories.Count, directories.Distinct().Count());
        // per cell: user protocol 4 fixed × 3 + learned 3 + grid 6 + 3 choices; 800/200 extras 4 × 3 + 2 choices
        Assert.Equal(8 * (12 + 3 + 6 + 3 + 12 + 2), runs.Count);
        Assert.Equal([1, 2, 3, 4], runs.Select(r => r.Phase).Distinct());
    }

    [Theory]
    [InlineData("fashion-mnist", "short", "none", SuiteTrainSet.All, 1000, 0.0, 78)]
    [InlineData("fashion-mnist", "short", "learned-policy", SuiteTrainSet.HoldOut, 800, 0.2, 100)]
    [InlineData("gtsrb", "short", "none", SuiteTrainSet.All, 989, 0.0, 81)]
    [InlineData("gtsrb", "long", "randaugment", SuiteTrainSet.HoldOut, 774, 0.2, 300)]
    [InlineData("cifar10", "long", "trivialaugment", SuiteTrainSet.All, 1000, 0.0, 234)]
    public void Configurations_follow_the_protocol(string dataset, string schedule, string method, SuiteTrainSet trainSet, int trainImages, double valRatio, int epochs)
    {
        var plan = Full("out");
        var d = plan.Datasets.Single(x => x.Name == dataset);
        var s = plan.Schedules.Single(x => x.Name == schedule);
        var config = plan.Config(d, s, method, trainSet, 2);
        Assert.Equal(trainImages, SuitePlan.TrainImages(d, trainSet));
        Assert.Equal(valRatio, config.ValRatio);
        Assert.Equal(epochs, config.Epochs);
        Assert.Equal(epochs, config.TestEvery);
        Assert.Equal((2, 2), (config.Seed, config.DataSeed));
        Assert.Equal(dataset != "gtsrb", config.Flip);
        Assert.False(config.TrainOnValidation);
        Assert.Equal(("small-cnn", 32, 0.05), (config.Model, config.BatchSize, config.Lr));
    }

    [Theory]
    [InlineData("none", SuiteTrainSet.All)]
    [InlineData("trivialaugment", SuiteTrainSet.All)]
    [InlineData("randaugment:1:5", SuiteTrainSet.All)]
    [InlineData("uniform-policy", SuiteTrainSet.All)]
    [InlineData("learned-policy", SuiteTrainSet.HoldOut)]
    [InlineData("standard+learned-affine", SuiteTrainSet.HoldOut)]
    public void Learned_methods_hold_images_out_in_the_users_protocol(string method, SuiteTrainSet expected) =>
        Assert.Equal(expected, SuiteMethods.UserTrainSet(method));

    [Theory]
    [InlineData("none,none", "twice")]
    [InlineData("grid:random-affine", "randaugment-grid")]
    [InlineData("nonsense", "nonsense")]
    public void Bad_method_lists_are_refused(string methods, string message)
    {
        var e = Assert.Throws<DaboException>(() => SuiteMethods.Check(methods.Split(',')));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("--methods", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grid_picks_by_validation_accuracy_and_never_reads_test_accuracy()
    {
        using var dir = new TempDirectory();
        var data = new SuiteDataset("tiny", "unused", 4, 40);
        var plan = new SuitePlan([data], [new SuiteSchedule("short", 4)], ["none", SuiteMethods.Grid], [0, 1], dir.Path);
        Assert.Null(plan.GridChoice(data, plan.Schedules[0]));
        Assert.Contains(plan.Runs(), r => r.Role == SuiteRole.GridChosen && r.Job is null);

        // Planted: randaugment:1:5 has by far the best test accuracy, randaugment:2:10 the best validation accuracy.
        var selection = plan.GridSelectionRuns(data, plan.Schedules[0]);
        foreach (var (configuration, job) in selection)
        {
            double val = configuration == "randaugment:2:10" ? 0.70 : 0.60;
            double test = configuration == "randaugment:1:5" ? 0.99 : 0.50;
            WriteFinishedRun(job, val, test);
        }
        Assert.Equal("randaugment:2:10", plan.GridChoice(data, plan.Schedules[0]));
        var chosen = plan.Runs().Where(r => r.Role == SuiteRole.GridChosen).ToList();
        Assert.All(chosen, r => Assert.Equal("randaugment:2:10", r.Augment));
        Assert.Contains(chosen, r => r.TrainSet == SuiteTrainSet.All && r.Seed == 0);
        Assert.Contains(chosen, r => r.TrainSet == SuiteTrainSet.HoldOut && r.Seed == 1);
    }

    [Fact]
    public void A_grid_tie_goes_to_the_first_configuration()
    {
        using var dir = new TempDirectory();
        var data = new SuiteDataset("tiny", "unused", 4, 40);
        var plan = new SuitePlan([data], [new SuiteSchedule("short", 4)], [SuiteMethods.Grid], [0], dir.Path);
        foreach (var (_, job) in plan.GridSelectionRuns(data, plan.Schedules[0]))
        {
            WriteFinishedRun(job, 0.5, 0.5);
        }
        Assert.Equal(SuiteMethods.GridConfigurations[0], plan.GridChoice(data, plan.Schedules[0]));
    }

    // A finished run as a run directory holds it: its configuration and a summary.
    internal static void WriteFinishedRun(Dabo.Experiments.RunJob job, double val, double test, double wallSeconds = 10)
    {
        Directory.CreateDirectory(job.Directory);
        var run = new RunDirectory(job.Directory);
        File.WriteAllText(run.ConfigFile, job.Config.ToJson());
        var summary = new RunSummary
        {
            Method = job.Config.Augment,
            Model = job.Config.Model,
            Dataset = job.Config.Dataset,
            Seed = job.Config.Seed,
            Epochs = job.Config.Epochs,
            TrainImages = 32,
            ValImages = 8,
            TestImages = 100,
            ValAccuracy = val,
            TestAccuracy = test,
            WallSeconds = wallSeconds,
        };
        File.WriteAllText(run.SummaryFile, JsonSerializer.Serialize(summary, TrainingConfig.JsonOptions));
        Assert.True(job.IsFinished);
    }
}
