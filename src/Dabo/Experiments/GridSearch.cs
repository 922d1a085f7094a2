using System.Globalization;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Experiments;

/// <summary>The outcome of a grid search.</summary>
/// <param name="Points">Per magnitude: mean validation and test accuracy, total seconds.</param>
/// <param name="BestMagnitude">The magnitude with the best mean validation accuracy.</param>
/// <param name="BestRuns">Run directories of the best magnitude.</param>
/// <param name="TotalWallSeconds">Wall time of every run of the search.</param>
public sealed record GridSearchOutcome(IReadOnlyList<GridPoint> Points, double BestMagnitude, IReadOnlyList<string> BestRuns, double TotalWallSeconds);

/// <summary>One point of a grid search.</summary>
/// <param name="Magnitude">The magnitude m.</param>
/// <param name="Method">The method trained, e.g. <c>random-affine:0.5</c>.</param>
/// <param name="ValAccuracy">Mean validation accuracy over seeds.</param>
/// <param name="TestAccuracy">Mean test accuracy over seeds.</param>
/// <param name="WallSeconds">Total wall seconds of its runs.</param>
public sealed record GridPoint(double Magnitude, string Method, double ValAccuracy, double TestAccuracy, double WallSeconds);

/// <summary>
/// The grid-search baseline: one classifier per magnitude of a random augmentation family, the
/// best chosen by validation accuracy (never test), its test accuracy reported with the total cost
/// of the search so that it can be set beside a learned augmentation's single run.
/// </summary>
public sealed class GridSearch
{
    /// <summary>Default magnitudes.</summary>
    public static readonly IReadOnlyList<double> DefaultGrid = [0, 0.25, 0.5, 0.75, 1];

    private static readonly string[] Families = ["random-affine"];

    private readonly TrainingConfig _baseConfig;
    private readonly string _family;
    private readonly IReadOnlyList<double> _grid;
    private readonly IReadOnlyList<int> _seeds;
    private readonly string _directory;

    /// <summary>
    /// Checks the magnitudes of <c>--grid</c>: at least one, each in [0, 1], each once (a magnitude given twice
    /// would be one run counted as two points).
    /// </summary>
    /// <exception cref="DaboException">An empty grid, a magnitude out of range, or one given twice.</exception>
    public static void CheckGrid(IReadOnlyList<double> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        string text = string.Join(",", grid.Select(m => m.ToString(CultureInfo.InvariantCulture)));
        if (grid.Count == 0)
        {
            throw new DaboException("--grid: empty; give magnitudes such as 0,0.25,0.5,0.75,1");
        }
        if (grid.Any(m => !(m >= 0 && m <= 1)))
        {
            throw new DaboException($"--grid {text}: magnitudes must be in [0, 1]");
        }
        if (grid.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DaboException($"--grid {text}: {twice.Key.ToString(CultureInfo.InvariantCulture)} is given twice; give each magnitude once");
        }
    }

    /// <summary>Creates a search.</summary>
    public GridSearch(TrainingConfig baseConfig, string family, IReadOnlyList<double> grid, IReadOnlyList<int> seeds, string directory)
    {
        if (!Families.Contains(family))
        {
            throw new DaboException($"--family {family}: unknown; grid search supports {string.Join(", ", Families)}");
        }
        CheckGrid(grid);
        if (seeds.Count == 0)
        {
            throw new DaboException("--seeds: must be at least 1");
        }
        _baseConfig = baseConfig;
        _family = family;
        _grid = grid;
        _seeds = seeds;
        _directory = directory;
    }

    /// <summary>Decoded-image cache directory (null: default).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Called before each run starts.</summary>
    public Action<string, int, bool>? RunStarting { get; init; }

    /// <summary>Called when every remaining run is held by another process.</summary>
    public Action<int>? Waiting { get; init; }

    /// <summary>The runs of the search: every magnitude × seed.</summary>
    public IReadOnlyList<RunJob> Jobs() =>
        [.. _grid.SelectMany(m => _seeds.Select(seed => Job(m, seed)))];

    private string Method(double magnitude) => $"{_family}:{magnitude.ToString("0.###", CultureInfo.InvariantCulture)}";

    private RunJob Job(double magnitude, int seed)
    {
        string method = Method(magnitude);
        return new RunJob(_baseConfig with { Augment = method, Seed = seed }, Path.Combine(_directory, RunLabel.Of(method), $"seed-{seed}"));
    }

    /// <summary>
    /// Trains what is missing (finished runs are reused; other processes running the same search
    /// share the runs) and picks the best magnitude by validation accuracy.
    /// </summary>
    public GridSearchOutcome Run(ITrainingObserver? observer, CancellationToken cancellationToken = default)
    {
        Prepare();
        new RunQueue { CacheDirectory = CacheDirectory, Threads = Threads, RunStarting = RunStarting, Waiting = Waiting }
            .Run(Jobs(), observer, cancellationToken);
        return Aggregate();
    }

    /// <summary>
    /// One worker's share of the search: trains every unfinished run no other process holds and returns
    /// when none is left to claim, without waiting and without aggregating (see <see cref="Comparison.RunWorker"/>).
    /// </summary>
    public WorkerOutcome RunWorker(ITrainingObserver? observer, CancellationToken cancellationToken = default)
    {
        Prepare();
        return new RunQueue { CacheDirectory = CacheDirectory, Threads = Threads, RunStarting = RunStarting }
            .RunAvailable(Jobs(), observer, cancellationToken);
    }

    // Bad input is refused before the output directory exists.
    private void Prepare()
    {
        var unfinished = Jobs().Where(j => !j.IsFinished).Select(j => j.Config).ToList();
        if (unfinished.Count > 0)
        {
            Trainer.CheckInputs(unfinished, CacheDirectory, Threads, _directory);
        }
        IO.OutputPaths.CreateDirectory("--out", _directory);
    }

    /// <summary>Picks the best magnitude by validation accuracy; every run of <see cref="Jobs"/> must be finished.</summary>
    public GridSearchOutcome Aggregate()
    {
        var points = new List<GridPoint>();
        var dirsByPoint = new List<IReadOnlyList<string>>();
        double total = 0;
        foreach (var m in _grid)
        {
            var dirs = _seeds.Select(seed => Job(m, seed).Directory).ToList();
            var summaries = dirs.Select(d => new RunDirectory(d).LoadSummary()!).ToList();
            double seconds = summaries.Sum(s => s.WallSeconds);
            total += seconds;
            points.Add(new GridPoint(m, Method(m), summaries.Average(s => s.ValAccuracy ?? double.NaN), summaries.Average(s => s.TestAccuracy), seconds));
            dirsByPoint.Add(dirs);
        }
        int best = 0;
        for (int i = 1; i < points.Count; i++)
        {
            if (points[i].ValAccuracy > points[best].ValAccuracy)
            {
                best = i;
            }
        }
        return new GridSearchOutcome(points, points[best].Magnitude, dirsByPoint[best], total);
    }
}
