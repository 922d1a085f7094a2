using Dabo.Experiments.Benchmarks.Suite;
using Dabo.Reporting;

namespace Dabo.Tests.Experiments.Suite;

public class SuiteResultsTests
{
    private static IReadOnlyList<SuiteRunResult> Runs(params double[] accuracies) =>
        [.. accuracies.Select((a, seed) => new SuiteRunResult(seed, a, 100 + seed, 1000, $"run-{seed}"))];

    private static SuiteCell HandMadeCell(string dataset = "d", int seeds = 3, double learnedSeed2 = 0.83) =>
        SuiteCell.Compute(dataset, "short", SuiteProtocol.User, seeds,
        [
            ("none", "none", Runs(0.80, 0.82, 0.81), 0),
            ("trivialaugment", "trivialaugment", Runs(0.83, 0.84, 0.85), 0),
            ("randaugment", "randaugment", Runs(0.82, 0.83, 0.84), 0),
            ("learned-policy", "learned-policy", Runs(0.82, 0.85, learnedSeed2), 0),
            (SuiteMethods.Grid, "randaugment:1:5", Runs(0.84, 0.84), 600),
        ]);

    [Fact]
    public void Regret_and_paired_intervals_follow_the_hand_computed_figures()
    {
        var cell = HandMadeCell();
        Assert.Equal("trivialaugment", cell.BestFixed);
        Assert.False(cell.Complete); // the grid has 2 of 3 seeds
        SuiteMethodCell M(string method) => cell.Methods.Single(m => m.Method == method);

        Assert.Null(M("trivialaugment").VsBestFixed);
        Assert.Equal(0, M("trivialaugment").Regret!.Value, 12);

        // none − TA = −0.03, −0.02, −0.04: mean −0.03, s = 0.01, half-width t(0.975, 2) · 0.01 / √3.
        var none = M("none").VsBestFixed!;
        double half = 4.3027 * 0.01 / Math.Sqrt(3);
        Assert.Equal(-0.03, none.Mean, 12);
        Assert.Equal(-0.03 - half, none.Low!.Value, 9);
        Assert.Equal(-0.03 + half, none.High!.Value, 9);
        Assert.True(none.Resolved);
        Assert.Equal(0.03, M("none").Regret!.Value, 12);

        // learned − TA = −0.01, +0.01, −0.02: mean −1/150, s = √(7/3)/100.
        var learned = M("learned-policy").VsBestFixed!;
        double s = Math.Sqrt(7.0 / 3) / 100;
        Assert.Equal(-1.0 / 150, learned.Mean, 12);
        Assert.Equal((-1.0 / 150) - (4.3027 * s / Math.Sqrt(3)), learned.Low!.Value, 9);
        Assert.False(learned.Resolved);
        Assert.Equal(1.0 / 150, M("learned-policy").Regret!.Value, 12);
        Assert.Equal(0.0, M("randaugment").Regret!.Value - 0.01, 12);

        // The grid: paired over the 2 seeds it has (0.84 − 0.83, 0.84 − 0.84), compute with its selection.
        var grid = M(SuiteMethods.Grid);
        Assert.Equal(2, grid.VsBestFixed!.Seeds);
        Assert.Equal(0.005, grid.VsBestFixed.Mean, 12);
        Assert.Equal(0, grid.Regret!.Value, 12);
        Assert.Equal(100 + 101 + 600, grid.WallSecondsTotal, 9);
    }

    [Fact]
    public void The_tables_name_the_grids_choice_and_autos_choices_over_seeds()
    {
        var cell = SuiteCell.Compute("d", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", Runs(0.80, 0.82, 0.81), 0),
            ("auto", "auto", [new(0, 0.84, 150, 1000, "a0", "randaugment:2:10"), new(1, 0.85, 150, 1000, "a1", "randaugment:1:5"), new(2, 0.83, 150, 1000, "a2", "randaugment:2:10")], 0),
            (SuiteMethods.Grid, "randaugment:1:5", Runs(0.84, 0.84, 0.83), 600),
        ]);
        Assert.Equal("chose randaugment:2:10 ×2, randaugment:1:5", cell.Methods.Single(m => m.Method == "auto").Choice);
        Assert.Equal("randaugment:1:5", cell.Methods.Single(m => m.Method == SuiteMethods.Grid).Choice);
        Assert.Null(cell.Methods.Single(m => m.Method == "none").Choice);
    }

    [Fact]
    public void Summaries_cover_complete_cells_only_and_name_the_worst()
    {
        var complete = SuiteCell.Compute("a", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", Runs(0.80, 0.82, 0.81), 0),
            ("trivialaugment", "trivialaugment", Runs(0.83, 0.84, 0.85), 0),
            ("learned-policy", "learned-policy", Runs(0.82, 0.85, 0.83), 0),
        ]);
        var other = SuiteCell.Compute("b", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", Runs(0.90, 0.90, 0.90), 0),
            ("trivialaugment", "trivialaugment", Runs(0.85, 0.86, 0.87), 0),
            ("learned-policy", "learned-policy", Runs(0.80, 0.80, 0.80), 0),
        ]);
        var partial = SuiteCell.Compute("c", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", Runs(0.10), 0),
            ("trivialaugment", "trivialaugment", Runs(0.90), 0),
            ("learned-policy", "learned-policy", [], 0),
        ]);
        Assert.True(complete.Complete && other.Complete);
        Assert.False(partial.Complete);
        var summaries = SuiteMethodSummary.Over([complete, other, partial], ["none", "trivialaugment", "learned-policy"], SuiteProtocol.User);
        var learned = summaries.Single(s => s.Method == "learned-policy");
        Assert.Equal(2, learned.Cells);
        Assert.Equal(((1.0 / 150) + 0.10) / 2, learned.MeanRegret!.Value, 12);
        Assert.Equal(0.10, learned.WorstRegret!.Value, 12);
        Assert.Equal("b/short", learned.WorstCell);
        Assert.Equal(((0.82 + 0.85 + 0.83) / 3 + 0.80) / 2, learned.MeanAccuracy!.Value, 12);
        var none = summaries.Single(s => s.Method == "none");
        Assert.Equal(0.03 / 2, none.MeanRegret!.Value, 12); // 0.03 in a, 0 in b (it is the best there)
        Assert.Equal(7, none.Runs); // its runs in every cell of the column, incomplete ones included
    }

    [Fact]
    public void A_method_not_run_in_a_cell_does_not_hold_back_the_others_summaries()
    {
        var cell = SuiteCell.Compute("a", "short", SuiteProtocol.Split, 3,
        [
            ("none", "none", Runs(0.80, 0.82, 0.81), 0),
            ("trivialaugment", "trivialaugment", Runs(0.83, 0.84, 0.85), 0),
            ("uniform-policy", "uniform-policy", Runs(0.70, 0.71, 0.72), 0),
            ("auto", "auto", [], 0),
            ("learned-policy", "learned-policy", Runs(0.82), 0),
        ]);
        var noReference = SuiteCell.Compute("b", "short", SuiteProtocol.Split, 3,
        [
            ("none", "none", Runs(0.80, 0.82), 0),
            ("trivialaugment", "trivialaugment", Runs(0.83, 0.84, 0.85), 0),
            ("uniform-policy", "uniform-policy", Runs(0.70, 0.71, 0.72), 0),
            ("auto", "auto", [], 0),
            ("learned-policy", "learned-policy", Runs(0.82, 0.8, 0.8), 0),
        ]);
        Assert.False(cell.Complete);
        Assert.True(cell.IsCompleteFor("uniform-policy"));
        Assert.False(cell.IsCompleteFor("auto"));
        Assert.False(cell.IsCompleteFor("learned-policy"));
        Assert.False(noReference.IsCompleteFor("uniform-policy")); // none has 2 of 3 seeds: its regret could still change
        var summaries = SuiteMethodSummary.Over([cell, noReference], ["none", "uniform-policy", "auto", "learned-policy"], SuiteProtocol.Split);
        var uniform = summaries.Single(s => s.Method == "uniform-policy");
        Assert.Equal(1, uniform.Cells);
        Assert.Equal(0.84 - 0.71, uniform.MeanRegret!.Value, 12);
        Assert.Equal(0, summaries.Single(s => s.Method == "auto").Cells);
        Assert.Null(summaries.Single(s => s.Method == "learned-policy").MeanAccuracy);
    }

    [Fact]
    public void A_cell_without_a_fixed_method_yet_has_no_reference_and_no_regret()
    {
        var cell = SuiteCell.Compute("d", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", [], 0),
            ("learned-policy", "learned-policy", Runs(0.8), 0),
        ]);
        Assert.Null(cell.BestFixed);
        Assert.All(cell.Methods, m => Assert.Null(m.Regret));
        Assert.All(cell.Methods, m => Assert.Null(m.VsBestFixed));
        Assert.DoesNotContain(SuiteMethodSummary.Over([cell], ["none", "learned-policy"], SuiteProtocol.User), s => s.Cells > 0);
    }

    [Fact]
    public void Label_gains_pair_each_methods_own_runs_across_the_columns_and_skip_shared_ones()
    {
        static IReadOnlyList<SuiteRunResult> In(string column, params double[] accuracies) =>
            [.. accuracies.Select((a, seed) => new SuiteRunResult(seed, a, 10, 1000, $"{column}-{seed}"))];
        var user = SuiteCell.Compute("d", "short", SuiteProtocol.User, 3,
        [
            ("none", "none", In("all", 0.82, 0.84, 0.83), 0),
            ("learned-policy", "learned-policy", In("holdout", 0.80, 0.81, 0.79), 0),
            ("trivialaugment", "trivialaugment", In("all-ta", 0.85, 0.86), 0),
        ]);
        var split = SuiteCell.Compute("d", "short", SuiteProtocol.Split, 3,
        [
            ("none", "none", In("split", 0.80, 0.83, 0.83), 0),
            ("learned-policy", "learned-policy", In("holdout", 0.80, 0.81, 0.79), 0), // the same runs: no pair
            ("trivialaugment", "trivialaugment", In("split-ta", 0.84, 0.87, 0.90), 0),
        ]);
        var other = SuiteCell.Compute("e", "short", SuiteProtocol.User, 3, [("none", "none", In("e", 0.5, 0.5, 0.5), 0)]);

        var gains = SuiteLabelGain.Over([user, other, split]);

        Assert.Equal(["none", "trivialaugment"], gains.Select(g => g.Method));
        var none = gains.Single(g => g.Method == "none").Difference;
        Assert.Equal(3, none.Seeds);
        Assert.Equal((0.02 + 0.01 + 0.0) / 3, none.Mean, 12); // 0.82 − 0.80, 0.84 − 0.83, 0.83 − 0.83
        double half = 4.3027 * 0.01 / Math.Sqrt(3); // s of (0.02, 0.01, 0) is 0.01
        Assert.Equal(none.Mean - half, none.Low!.Value, 9);
        var ta = gains.Single(g => g.Method == "trivialaugment");
        Assert.Equal("d/short", ta.Cell);
        Assert.Equal(2, ta.Difference.Seeds); // the user column has seeds 0 and 1 only
        Assert.Equal((0.01 - 0.01) / 2, ta.Difference.Mean, 12);
    }

    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(30, 2.0423)]
    [InlineData(40, 2.0211)]
    [InlineData(120, 1.9799)]
    public void T_quantiles_match_the_tables(int df, double expected) => Assert.Equal(expected, StudentT.Quantile975(df), 3);

    [Fact]
    public void Results_read_each_column_from_its_runs_and_the_reports_are_written()
    {
        using var dir = new TempDirectory();
        var data = new SuiteDataset("tiny", "unused", 4, 40);
        var schedule = new SuiteSchedule("short", 4);
        var plan = new SuitePlan([data], [schedule], ["none", "trivialaugment", "randaugment", SuiteMethods.Grid, "learned-policy"], [0, 1], dir.Path);
        foreach (var (configuration, job) in plan.GridSelectionRuns(data, schedule))
        {
            SuitePlanTests.WriteFinishedRun(job, configuration == "randaugment:2:5" ? 0.9 : 0.5, 0.5, wallSeconds: 5);
        }
        // The user column reads "all" runs (accuracy 0.7x), the 800/200 column "holdout" runs (0.6x).
        foreach (var run in plan.Runs().Where(r => r.Job is { IsFinished: false }))
        {
            double test = (run.TrainSet == SuiteTrainSet.All ? 0.70 : 0.60) + (run.Method == "trivialaugment" ? 0.05 : 0) + (0.01 * run.Seed);
            SuitePlanTests.WriteFinishedRun(run.Job!, 0.5, test, wallSeconds: 10);
        }
        var results = SuiteResults.Collect(plan, "dabo bench suite test");
        Assert.Equal(results.RunsPlanned, results.RunsFinished);
        var user = results.Cells.Single(c => c.Protocol == SuiteProtocol.User);
        var split = results.Cells.Single(c => c.Protocol == SuiteProtocol.Split);
        Assert.True(user.Complete && split.Complete);
        Assert.Equal(0.705, user.Methods.Single(m => m.Method == "none").Mean!.Value, 12);
        Assert.Equal(0.605, split.Methods.Single(m => m.Method == "none").Mean!.Value, 12);
        Assert.Equal(0.605, user.Methods.Single(m => m.Method == "learned-policy").Mean!.Value, 12); // hold-out in both columns
        var gridUser = user.Methods.Single(m => m.Method == SuiteMethods.Grid);
        Assert.Equal("randaugment:2:5", gridUser.Augment);
        Assert.Equal((2 * 10) + (6 * 5), gridUser.WallSecondsTotal, 9); // its 2 runs on all images + the 6 selection runs
        var gridSplit = split.Methods.Single(m => m.Method == SuiteMethods.Grid);
        Assert.Equal([0.5, 0.61], gridSplit.Runs.Select(r => r.TestAccuracy)); // seed 0 is the selection run itself
        Assert.Equal(5 + 10 + (5 * 5), gridSplit.WallSecondsTotal, 9);
        Assert.Equal("trivialaugment", user.BestFixed);
        Assert.Equal(0.05, user.Methods.Single(m => m.Method == "none").Regret!.Value, 12);

        SuiteReport.Write(results, plan, dir.Combine("out"));
        SuiteHtmlReport.Write(results, plan, dir.Combine("out"));
        string markdown = File.ReadAllText(dir.Combine("out", "results.md"));
        Assert.Contains("## User protocol", markdown, StringComparison.Ordinal);
        Assert.Contains("| none | 70.50 ± 0.71; Δ -5.00 [", markdown, StringComparison.Ordinal);
        Assert.Contains("randaugment:2:5", markdown, StringComparison.Ordinal);
        Assert.Contains("\"best_fixed\": \"trivialaugment\"", File.ReadAllText(dir.Combine("out", "results.json")), StringComparison.Ordinal);
        // Every user-column run of a fixed method is 0.10 above its 800/200 twin; learned-policy shares its runs.
        Assert.Contains("| none | +10.00 [+10.00, +10.00] | +10.00 (1 cell) |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(results.LabelGains, g => g.Method == "learned-policy");
        string html = File.ReadAllText(dir.Combine("out", "report.html"));
        Assert.Contains("What the held-out labels are worth", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.Contains("800/200 protocol", html, StringComparison.Ordinal);
    }
}
