using Dabo.IO;
using Dabo.Methods;
using Dabo.Training;

namespace Dabo.Experiments;

/// <summary>
/// Runs every method × seed with one base configuration, sequentially and resumably: a finished
/// run (with <c>summary.json</c>) is reused, an interrupted one resumes from its checkpoint. The
/// method <c>grid:FAMILY</c> stands for a whole <see cref="GridSearch"/> whose cost counts in full.
/// </summary>
public sealed class Comparison
{
    private readonly TrainingConfig _baseConfig;
    private readonly IReadOnlyList<string> _methods;
    private readonly Dictionary<string, string?> _grids; // method → family of grid:FAMILY, or null
    private readonly IReadOnlyList<int> _seeds;
    private readonly string _directory;

    /// <summary>Creates a comparison.</summary>
    /// <param name="baseConfig">Everything but method and seed.</param>
    /// <param name="methods">Methods to compare (e.g. <c>none</c>, <c>trivialaugment</c>, <c>learned-affine</c>, <c>grid:random-affine</c>).</param>
    /// <param name="seeds">Training seeds.</param>
    /// <param name="directory">Output directory (runs go to <c>runs/METHOD/seed-S</c>).</param>
    public Comparison(TrainingConfig baseConfig, IReadOnlyList<string> methods, IReadOnlyList<int> seeds, string directory)
    {
        if (methods.Count == 0 || methods.Any(string.IsNullOrWhiteSpace))
        {
            throw new DaboException("--methods: give a comma-separated list, e.g. none,standard,learned-affine");
        }
        MethodSpec.RequireDistinct(methods, "--methods");
        if (seeds.Count == 0)
        {
            throw new DaboException("--seeds: must be at least 1");
        }
        _grids = methods.ToDictionary(m => m, m => MethodSpec.Parse(m, allowGrid: true).GridFamily, StringComparer.Ordinal);
        foreach (var method in methods.Where(m => _grids[m] is null))
        {
            RunSpec.From(baseConfig with { Augment = method });
        }
        _baseConfig = baseConfig;
        _methods = methods;
        _seeds = seeds;
        _directory = directory;
    }

    /// <summary>Magnitudes tried by <c>grid:…</c> methods.</summary>
    public IReadOnlyList<double> Grid { get; init; } = GridSearch.DefaultGrid;

    /// <summary>Decoded-image cache directory (null: default).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Called before each run starts: method, seed, whether it resumes.</summary>
    public Action<string, int, bool>? RunStarting { get; init; }

    /// <summary>Called when every remaining run is held by another process, with their count.</summary>
    public Action<int>? Waiting { get; init; }

    /// <summary>
    /// Runs what is missing, then writes and returns the aggregated results. Several processes may run
    /// the same comparison at once: each claims the next unclaimed run, and all of them end with the
    /// same results once every run is finished.
    /// </summary>
    public ComparisonResults Run(ITrainingObserver? observer, string command, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(_directory))
        {
            AtomicFile.DeleteStale(_directory); // results files cut off by a kill
        }
        var (jobs, searches) = Plan();
        Prepare(jobs);
        new RunQueue { CacheDirectory = CacheDirectory, Threads = Threads, RunStarting = RunStarting, Waiting = Waiting }
            .Run(jobs, observer, cancellationToken);

        var runs = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var method in _methods)
        {
            if (searches.TryGetValue(method, out var search))
            {
                var outcome = search.Aggregate();
                runs.Add(new(method, outcome.BestRuns));
                totals[method] = outcome.TotalWallSeconds;
            }
            else
            {
                runs.Add(new(method, MethodJobs(method).Select(j => j.Directory).ToList()));
            }
        }
        var results = new ComparisonResults(_baseConfig.Dataset, _baseConfig.Model, _baseConfig.Epochs, _baseConfig.TrainSize,
            ResultsAggregator.Aggregate(runs, totals), command, ResultsFiles.Versions(), DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture));
        ResultsFiles.Write(results, _directory);
        return results;
    }

    /// <summary>Every run of the comparison (those of <c>grid:…</c> methods included), finished or not.</summary>
    public IReadOnlyList<RunJob> Jobs() => Plan().Jobs;

    /// <summary>
    /// One worker's share of the comparison: trains every unfinished run no other process holds (resuming
    /// interrupted ones) and returns when none is left to claim, without waiting for the others and without
    /// writing results. Several workers, on one machine or many sharing the directory, split the runs;
    /// a later <see cref="Run"/> writes the results (and trains what none of them finished).
    /// </summary>
    public WorkerOutcome RunWorker(ITrainingObserver? observer, CancellationToken cancellationToken = default)
    {
        var jobs = Plan().Jobs;
        Prepare(jobs);
        return new RunQueue { CacheDirectory = CacheDirectory, Threads = Threads, RunStarting = RunStarting }
            .RunAvailable(jobs, observer, cancellationToken);
    }

    private (List<RunJob> Jobs, Dictionary<string, GridSearch> Searches) Plan()
    {
        var searches = new Dictionary<string, GridSearch>(StringComparer.Ordinal);
        var jobs = new List<RunJob>();
        foreach (var method in _methods)
        {
            if (_grids[method] is { } family)
            {
                var search = new GridSearch(_baseConfig, family, Grid, _seeds, Path.Combine(_directory, "runs", RunLabel.Of(method)));
                searches[method] = search;
                jobs.AddRange(search.Jobs());
            }
            else
            {
                jobs.AddRange(MethodJobs(method));
            }
        }
        // Long runs (learned and choosing methods: updates, proxies) start first, so that workers finish together
        // instead of one training the longest run alone at the end; the order is the same in every process.
        return ([.. jobs.OrderByDescending(j => RunSpec.From(j.Config).Method is { IsLearned: true } or { Chooses: true })], searches);
    }

    // Bad input is refused before the output directory exists (no half-made comparison to trip over).
    private void Prepare(List<RunJob> jobs)
    {
        var unfinished = jobs.Where(j => !j.IsFinished).Select(j => j.Config).ToList();
        if (unfinished.Count > 0)
        {
            Trainer.CheckInputs(unfinished, CacheDirectory, Threads, _directory);
        }
        OutputPaths.CreateDirectory("--out", _directory);
    }

    private IEnumerable<RunJob> MethodJobs(string method) =>
        _seeds.Select(seed => new RunJob(_baseConfig with { Augment = method, Seed = seed }, Path.Combine(_directory, "runs", RunLabel.Of(method), $"seed-{seed}")));
}
