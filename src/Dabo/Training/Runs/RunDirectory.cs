using System.Text.Json;
using Dabo.IO;

namespace Dabo.Training.Runs;

/// <summary>
/// The files of one run: <c>config.json</c>, <c>metrics.jsonl</c>, <c>checkpoint.bin</c>,
/// <c>best_model.bin</c>, <c>model.bin</c>, <c>summary.json</c>, <c>augment.png</c>, <c>augmenter.bin</c>, <c>policy.json</c>.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Wraps a directory path (not created until <see cref="Prepare"/>).</summary>
    public RunDirectory(string path) => Path = path;

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Saved configuration.</summary>
    public string ConfigFile => File("config.json");

    /// <summary>One JSON line per epoch.</summary>
    public string MetricsFile => File("metrics.jsonl");

    /// <summary>Latest end-of-epoch checkpoint.</summary>
    public string CheckpointFile => File("checkpoint.bin");

    /// <summary>Classifier weights of the best validation epoch.</summary>
    public string BestModelFile => File("best_model.bin");

    /// <summary>Final classifier weights.</summary>
    public string ModelFile => File("model.bin");

    /// <summary>Final summary.</summary>
    public string SummaryFile => File("summary.json");

    /// <summary>Trained augmenter (learned methods).</summary>
    public string AugmenterFile => File("augmenter.bin");

    /// <summary>
    /// What a learned run ended with, readable by <c>--augment policy:FILE</c>: the learned policy
    /// (learned-policy runs) or the learned ranges (learned-augmenter runs), with <c>torchvision.txt</c> beside it.
    /// </summary>
    public string PolicyFile => File("policy.json");

    /// <summary>Grid of original and augmented training images.</summary>
    public string AugmentImageFile => File("augment.png");

    /// <summary>A file in the run directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>True when the directory holds a Dabo run (a config.json).</summary>
    public bool IsRun => System.IO.File.Exists(ConfigFile);

    /// <summary>
    /// Makes the directory ready for <paramref name="config"/>: creates it for a new run; for
    /// <paramref name="resume"/>, checks that the saved configuration matches. Returns true when a
    /// checkpoint exists to resume from.
    /// </summary>
    public bool Prepare(TrainingConfig config, bool resume)
    {
        bool hasCheckpoint = Check(config, resume);
        Create(config);
        return hasCheckpoint;
    }

    /// <summary>
    /// Claims the directory for this process's writes (<see cref="RunClaim"/>), so that a second writer (another
    /// <c>dabo train</c> on the same <c>--out</c>) is refused before it reads or writes any file of the run.
    /// Creates the directory's parent when missing, not the directory.
    /// </summary>
    /// <exception cref="DaboException">Another process writes the run, or the lock beside it cannot be created (one line naming the path).</exception>
    public RunClaim Claim()
    {
        if (string.IsNullOrEmpty(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path).TrimEnd(System.IO.Path.DirectorySeparatorChar))))
        {
            throw new DaboException($"--out {Path}: a root directory cannot hold a run (its lock file goes beside it); choose a directory below it");
        }
        RunClaim? claim;
        try
        {
            claim = RunClaim.TryAcquire(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputPaths.Error("--out", Path, e);
        }
        if (claim is null)
        {
            string holder = RunClaim.HolderProcessId(Path) is int pid ? $" (pid {pid}?)" : "";
            throw new DaboException($"--out {Path}: another dabo process is writing this run{holder}; wait for it or choose another --out");
        }
        return claim;
    }

    private bool HeldByAnotherWriter()
    {
        try
        {
            using var probe = RunClaim.TryAcquire(Path);
            return probe is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks, without creating anything, that the directory can hold a run of <paramref name="config"/>:
    /// not a file, not another run, not a non-empty foreign directory; for <paramref name="resume"/>,
    /// the same configuration. Returns true when a checkpoint exists to resume from.
    /// </summary>
    /// <param name="config">The run's configuration.</param>
    /// <param name="resume">Whether the run may continue an existing one.</param>
    /// <param name="checkpointsInSubRuns">The run trains sub-runs that hold their own checkpoints (auto): its own
    /// directory has none to check, and may hold a finished sub-run's model before its summary.</param>
    public bool Check(TrainingConfig config, bool resume, bool checkpointsInSubRuns = false)
    {
        if (System.IO.File.Exists(Path))
        {
            throw new DaboException($"--out {Path}: is a file; pass a directory for the run");
        }
        AtomicFile.DeleteStale(Path);
        if (IsRun)
        {
            var saved = LoadConfig();
            if (!resume)
            {
                // A run another process is still writing says so (the lock is taken only after these checks).
                if (HeldByAnotherWriter())
                {
                    Claim().Dispose();
                }
                throw new DaboException($"--out {Path}: already holds a run; pass --resume to continue it or choose another --out");
            }
            if (saved != config)
            {
                throw new DaboException($"--out {Path}: holds a run with a different configuration ({Difference(saved, config)}); use the same flags with --resume, or another --out");
            }
            if (System.IO.Path.Exists(CheckpointFile))
            {
                return true;
            }
            if (checkpointsInSubRuns)
            {
                return false;
            }
            // Without a checkpoint only a run killed before its first epoch may start again.
            if (System.IO.File.Exists(SummaryFile) || System.IO.File.Exists(ModelFile) || (System.IO.File.Exists(MetricsFile) && new FileInfo(MetricsFile).Length > 0))
            {
                throw new DaboException($"--out {Path}: holds trained epochs but no {System.IO.Path.GetFileName(CheckpointFile)} (deleted?), so it cannot be resumed; train again into another --out");
            }
            return false;
        }
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
        {
            if (System.IO.Path.Exists(CheckpointFile))
            {
                // Training on would silently start at epoch 0 and overwrite the checkpoint.
                throw new DaboException($"--out {Path}: holds {System.IO.Path.GetFileName(CheckpointFile)} but no config.json (deleted?); restore config.json to resume, or choose another --out");
            }
            throw new DaboException(resume
                ? $"--out {Path}: --resume, but the directory holds no Dabo run (no config.json) and is not empty; pass the directory of an interrupted run, or an empty or new directory"
                : $"--out {Path}: directory is not empty and holds no Dabo run; choose an empty or new directory");
        }
        return false;
    }

    /// <summary>
    /// Creates the directory and its <c>config.json</c> (nothing when it already holds a run). On failure
    /// (unwritable place, full disk) removes what it created and throws one line naming the path.
    /// </summary>
    public void Create(TrainingConfig config)
    {
        if (IsRun)
        {
            return;
        }
        string? created = OutputPaths.FirstMissing(Path);
        try
        {
            Directory.CreateDirectory(Path);
            AtomicFile.WriteAllText(ConfigFile, config.ToJson());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OutputPaths.RemoveCreated(created);
            throw OutputPaths.Error("--out", Path, e);
        }
    }

    /// <summary>
    /// Estimated bytes a run of a model with <paramref name="parameters"/> parameters writes: checkpoint (weights
    /// and momentum), best and final model, one temporary copy during an atomic replace, plus 1 MB for metrics and images.
    /// </summary>
    public static long EstimatedBytes(double parameters) => (long)Math.Min(long.MaxValue / 2, (parameters * 4 * 6) + (1 << 20));

    /// <summary>
    /// <c>data.json</c>: the input the classifier expects (normalization, classes, image shape), written when training
    /// starts.
    /// </summary>
    public string DataFile => File("data.json");

    /// <summary>Reads <c>config.json</c>.</summary>
    public TrainingConfig LoadConfig()
    {
        if (!IsRun)
        {
            throw new DaboException($"{Path}: not a Dabo run (no config.json); pass a directory written by 'dabo train'");
        }
        return TrainingConfig.FromJson(ReadText(ConfigFile), ConfigFile);
    }

    /// <summary>Reads <c>summary.json</c>, or null when the run has not finished.</summary>
    public RunSummary? LoadSummary()
    {
        if (!System.IO.Path.Exists(SummaryFile))
        {
            return null;
        }
        const string Remedy = "delete it and run the same command again (with --resume for 'dabo train'): the run is finished again from its checkpoint";
        try
        {
            return JsonSerializer.Deserialize<RunSummary>(ReadText(SummaryFile, Remedy), TrainingConfig.JsonOptions)
                ?? throw new DaboException($"{SummaryFile}: damaged run summary (null); {Remedy}");
        }
        catch (JsonException e)
        {
            throw new DaboException($"{SummaryFile}: damaged run summary ({e.Message.Split('\n')[0]}); {Remedy}", e);
        }
    }

    /// <summary>Reads all lines of <c>metrics.jsonl</c>; a damaged line is a <see cref="DaboException"/> naming the file and line.</summary>
    public List<EpochMetrics> LoadMetrics()
    {
        if (!System.IO.Path.Exists(MetricsFile))
        {
            return [];
        }
        const string Remedy = "resume the run ('dabo train' with its flags and --resume) to rewrite it from its checkpoint";
        var lines = ReadText(MetricsFile, Remedy).Split('\n');
        var metrics = new List<EpochMetrics>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            try
            {
                metrics.Add(JsonSerializer.Deserialize<EpochMetrics>(lines[i], MetricsJson) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new DaboException($"{MetricsFile}: line {i + 1} is damaged ({e.Message.Split('\n')[0]}); {Remedy}", e);
            }
        }
        return metrics;
    }

    // The text of a run file; a directory or unreadable file in its place is a DaboException naming it.
    private static string ReadText(string file, string? remedy = null)
    {
        try
        {
            return System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string what = Directory.Exists(file) ? "is a directory, not a file" : $"cannot be read ({e.Message.Split('\n')[0]})";
            throw new DaboException(remedy is null ? $"{file}: {what}" : $"{file}: {what}; {remedy}", e);
        }
    }

    /// <summary>Rewrites <c>metrics.jsonl</c> with <paramref name="metrics"/> (atomic).</summary>
    public void WriteMetrics(IEnumerable<EpochMetrics> metrics) =>
        AtomicFile.WriteAllText(MetricsFile, string.Concat(metrics.Select(m => JsonSerializer.Serialize(m, MetricsJson) + "\n")));

    /// <summary>Compact snake_case JSON for one-line records.</summary>
    public static readonly JsonSerializerOptions MetricsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static string Difference(TrainingConfig a, TrainingConfig b)
    {
        using var ja = JsonDocument.Parse(a.ToJson());
        using var jb = JsonDocument.Parse(b.ToJson());
        var diffs = ja.RootElement.EnumerateObject()
            .Where(p => jb.RootElement.TryGetProperty(p.Name, out var q) && q.GetRawText() != p.Value.GetRawText())
            .Select(p => $"{p.Name}: {p.Value.GetRawText()} there, {jb.RootElement.GetProperty(p.Name).GetRawText()} now");
        return string.Join("; ", diffs);
    }
}
