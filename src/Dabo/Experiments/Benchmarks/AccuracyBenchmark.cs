using System.Globalization;
using System.Text;
using Dabo.IO;
using Dabo.Training;

namespace Dabo.Experiments.Benchmarks;

/// <summary>
/// <c>dabo bench accuracy</c>: runs each protocol as a resumable <see cref="Comparison"/> in
/// <c>OUT/PROTOCOL</c> and writes <c>OUT/accuracy.md</c>, the tables docs/results.md shows.
/// </summary>
public static class AccuracyBenchmark
{
    /// <summary>
    /// Runs the protocols (finished runs are reused; other processes running the same benchmark share
    /// the runs) and returns their results. <paramref name="waiting"/> is told how many runs other
    /// processes hold when this one has nothing left to train. <paramref name="writeReport"/>, when given, is
    /// called with each finished protocol's results and its directory (the CLI writes <c>report.html</c>
    /// there with Dabo.Reporting; the library itself draws nothing).
    /// </summary>
    public static IReadOnlyList<(AccuracyProtocol Protocol, ComparisonResults Results)> Run(IReadOnlyList<AccuracyProtocol> protocols, string directory,
        string command, ITrainingObserver? observer, Action<string, string, int, bool>? runStarting, int? threads, string? cacheDirectory,
        CancellationToken cancellationToken, Action<int>? waiting = null, Action<ComparisonResults, string>? writeReport = null)
    {
        var all = new List<(AccuracyProtocol, ComparisonResults)>();
        foreach (var protocol in protocols)
        {
            var comparison = Comparison(protocol, directory, threads, cacheDirectory, runStarting, waiting);
            var results = comparison.Run(observer, command, cancellationToken);
            writeReport?.Invoke(results, Path.Combine(directory, protocol.Name));
            all.Add((protocol, results));
            AtomicFile.WriteAllText(Path.Combine(directory, "accuracy.md"), Markdown(all, command));
        }
        return all;
    }

    /// <summary>Every run of the protocols, finished or not.</summary>
    public static IReadOnlyList<RunJob> Jobs(IReadOnlyList<AccuracyProtocol> protocols, string directory) =>
        [.. protocols.SelectMany(p => Comparison(p, directory, null, null, null, null).Jobs())];

    /// <summary>
    /// One worker's share of the benchmark (see <see cref="Experiments.Comparison.RunWorker"/>): trains every unfinished
    /// run of every protocol that no other process holds and returns when none is left to claim, without
    /// waiting and without writing results. It goes over the protocols again while a round trained
    /// something, so that a run another worker abandoned (killed) in an earlier protocol is resumed too.
    /// </summary>
    public static WorkerOutcome RunWorker(IReadOnlyList<AccuracyProtocol> protocols, string directory, ITrainingObserver? observer,
        Action<string, string, int, bool>? runStarting, int? threads, string? cacheDirectory, CancellationToken cancellationToken)
    {
        var total = new WorkerOutcome(0, 0, 0);
        while (true)
        {
            var round = new WorkerOutcome(0, 0, 0);
            foreach (var protocol in protocols)
            {
                round += Comparison(protocol, directory, threads, cacheDirectory, runStarting, null).RunWorker(observer, cancellationToken);
            }
            total = new WorkerOutcome(total.Trained + round.Trained, total.Resumed + round.Resumed, round.HeldByOthers);
            if (round.Trained == 0)
            {
                return total;
            }
        }
    }

    private static Comparison Comparison(AccuracyProtocol protocol, string directory, int? threads, string? cacheDirectory,
        Action<string, string, int, bool>? runStarting, Action<int>? waiting) =>
        new(protocol.Config, protocol.Methods, protocol.Seeds, Path.Combine(directory, protocol.Name))
        {
            Grid = protocol.Grid,
            Threads = threads,
            CacheDirectory = cacheDirectory,
            RunStarting = runStarting is null ? null : (m, s, r) => runStarting(protocol.Name, m, s, r),
            Waiting = waiting,
        };

    /// <summary>All protocols' tables with the command and date.</summary>
    public static string Markdown(IReadOnlyList<(AccuracyProtocol Protocol, ComparisonResults Results)> all, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Produced by `{command}` on {DateTime.UtcNow:yyyy-MM-dd} (2-core CPU machine).");
        foreach (var (protocol, results) in all)
        {
            var c = protocol.Config;
            sb.AppendLine();
            sb.AppendLine(CultureInfo.InvariantCulture, $"### {protocol.Name}: {c.TrainSize} training images ({c.ValRatio:P0} held out for validation), `{c.Model}`, batch {c.BatchSize}, {c.Epochs} epochs, seeds {string.Join(", ", protocol.Seeds)}");
            sb.AppendLine();
            sb.AppendLine("| method | test accuracy % (mean ± std) | val accuracy % | gain over none (pts) | wall s / run | total wall s |");
            sb.AppendLine("|---|---|---|---|---|---|");
            foreach (var r in results.Methods)
            {
                string gain = r.GainOverNone is double g ? (g * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "–";
                string val = r.ValAccuracyMean is double v ? ResultsFiles.Percent(v) : "–";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Method} | {ResultsFiles.PercentMeanStd(r.TestAccuracyMean, r.TestAccuracyStd, r.Seeds)} | {val} | {gain} | {r.WallSecondsMean:F0} | {r.WallSecondsTotal:F0} |");
            }
            var checks = AccuracyTargets.Check(results);
            if (checks.Count > 0)
            {
                sb.AppendLine();
                sb.AppendLine(CultureInfo.InvariantCulture, $"Targets, for the learned method with the best validation accuracy (`{AccuracyTargets.BestLearned(results)!.Method}`):");
                sb.AppendLine();
                foreach (var check in checks)
                {
                    string verdict = check.Met switch { true => "met", false => "missed", null => "not checked" };
                    sb.AppendLine(CultureInfo.InvariantCulture, $"- {check.Target}: **{verdict}** ({check.Figure})");
                }
            }
        }
        return sb.ToString();
    }
}
