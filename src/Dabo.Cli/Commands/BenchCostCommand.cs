using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Dabo.Training;
using Dabo.Training.Runs;
using Spectre.Console.Cli;

namespace Dabo.Cli.Commands;

/// <summary><c>dabo bench cost RUN_DIR...</c>: the time breakdown of finished runs, side by side.</summary>
public sealed class BenchCostCommand : Command<BenchCostCommand.Settings>
{
    /// <summary>Options of <c>dabo bench cost</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Run directories.</summary>
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("Finished run directories (with summary.json); the first is the reference of the × column, e.g. the 'none' run.")]
        public string[] Runs { get; init; } = [];

        /// <summary>JSON lines.</summary>
        [CommandOption("--json")]
        [Description("Print one JSON object per run (JSON lines) instead of a table.")]
        public bool Json { get; init; }
    }

    /// <summary>One run's cost.</summary>
    /// <param name="Run">Run directory.</param>
    /// <param name="Method">Augmentation method.</param>
    /// <param name="BatchSize">Images per batch.</param>
    /// <param name="Epochs">Epochs.</param>
    /// <param name="WallSeconds">Wall seconds of the epochs.</param>
    /// <param name="SecondsPerEpoch">Mean seconds per epoch.</param>
    /// <param name="RatioToFirst">Wall seconds over the first run's.</param>
    /// <param name="TimeBreakdown">Seconds per phase.</param>
    public sealed record RunCost(string Run, string Method, int BatchSize, int Epochs, double WallSeconds, double SecondsPerEpoch, double RatioToFirst, IReadOnlyDictionary<string, double> TimeBreakdown);

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Runs.Length == 0)
        {
            throw new DaboException("bench cost: give at least one finished run directory, e.g. dabo bench cost runs/none runs/randaugment");
        }
        var costs = new List<RunCost>();
        foreach (var path in settings.Runs)
        {
            var run = new RunDirectory(path);
            if (!run.IsRun)
            {
                throw new DaboException($"{path}: not a run directory (no config.json); pass directories written by dabo train");
            }
            var config = run.LoadConfig();
            var summary = run.LoadSummary()
                ?? throw new DaboException($"{path}: the run has not finished (no summary.json); finish it with dabo train --resume and the same flags");
            var breakdown = summary.TimeBreakdown
                ?? throw new DaboException($"{path}: summary.json has no time_breakdown (written by an older Dabo); train the run again to measure it");
            double reference = costs.Count == 0 ? summary.WallSeconds : costs[0].WallSeconds;
            costs.Add(new RunCost(path, summary.Method, config.BatchSize, summary.Epochs, summary.WallSeconds, summary.SecondsPerEpoch,
                Math.Round(summary.WallSeconds / Math.Max(1e-9, reference), 3), breakdown));
        }
        if (settings.Json)
        {
            foreach (var cost in costs)
            {
                Console.WriteLine(JsonSerializer.Serialize(cost, RunDirectory.MetricsJson));
            }
            return 0;
        }
        // A Markdown table: readable in a terminal of any width and pasted as is into docs.
        var c = CultureInfo.InvariantCulture;
        var phases = RunTimes.Phases.Prepend(RunTimes.Proxies).Append(RunTimes.Other).ToList();
        Console.WriteLine($"| run | method | batch | epochs | wall s | s/epoch | × first | × first without test eval | × same run without augmentation work | {string.Join(" | ", phases.Select(p => p.Replace('_', ' ') + " s"))} |");
        Console.WriteLine($"|{string.Concat(Enumerable.Repeat("---|", 9 + phases.Count))}");
        double referenceWithoutTest = WithoutTest(costs[0]);
        foreach (var cost in costs)
        {
            var cells = new List<string>
            {
                cost.Run, cost.Method, cost.BatchSize.ToString(c), cost.Epochs.ToString(c), cost.WallSeconds.ToString("F1", c),
                cost.SecondsPerEpoch.ToString("F2", c), cost.RatioToFirst.ToString("F2", c),
                (WithoutTest(cost) / Math.Max(1e-9, referenceWithoutTest)).ToString("F2", c),
                (WithoutTest(cost) / Math.Max(1e-9, WithoutTest(cost) - AugmentationWork(cost))).ToString("F2", c),
            };
            cells.AddRange(phases.Select(p => cost.TimeBreakdown.TryGetValue(p, out var s) ? s.ToString("F1", c) : "–"));
            Console.WriteLine($"| {string.Join(" | ", cells)} |");
        }
        return 0;
    }

    // What a method does that a 'none' run does not: choosing by proxy runs, augmenting, updating a policy,
    // evaluating clean training images. Within one run all phases meet the same machine load, so this ratio holds on a busy machine,
    // where ratios between runs do not.
    private static double AugmentationWork(RunCost cost) =>
        new[] { RunTimes.Proxies, RunTimes.Augmentation, RunTimes.AugmenterUpdates, RunTimes.CleanTrain }.Sum(p => cost.TimeBreakdown.TryGetValue(p, out var s) ? s : 0);

    // The test split is evaluated alike by every method; without it the ratio shows the training's own cost.
    private static double WithoutTest(RunCost cost) =>
        cost.WallSeconds - (cost.TimeBreakdown.TryGetValue(RunTimes.Test, out var test) ? test : 0);
}
