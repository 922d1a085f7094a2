using System.Diagnostics;

namespace Dabo.Training;

/// <summary>
/// Where a run's wall time goes, in seconds per phase, accumulated over its epochs (and over the
/// processes of a resumed run: the checkpoint keeps it). Phases are measured on the training thread,
/// so they never overlap and their sum is at most the run's wall time; work done ahead on another
/// thread counts only as long as the training loop waits for it.
/// </summary>
public sealed class RunTimes
{
    /// <summary>
    /// A choosing method's proxy runs (<c>auto</c>): their whole wall time, before the chosen method trains. Not one of
    /// <see cref="Phases"/> (a run's own loop never measures it): only a choosing run's summary has it, first.
    /// </summary>
    public const string Proxies = "proxies";

    /// <summary>Classifier steps: forward, backward, update (and moving the batch to the device).</summary>
    public const string Steps = "steps";

    /// <summary>Waiting for batches: sampling, gathering and fixed augmentation, or a policy's sampling and applying.</summary>
    public const string Augmentation = "augmentation";

    /// <summary>Learned augmentation's own work: policy updates (rewards, look-aheads).</summary>
    public const string AugmenterUpdates = "augmenter_updates";

    /// <summary>Evaluation on the validation split.</summary>
    public const string Validation = "validation_eval";

    /// <summary>Evaluation on clean training images.</summary>
    public const string CleanTrain = "clean_train_eval";

    /// <summary>Evaluation on the test split.</summary>
    public const string Test = "test_eval";

    /// <summary>Writing the checkpoint and the best model.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>Writing metrics.jsonl and the augmentation preview.</summary>
    public const string Output = "metrics_preview";

    /// <summary>The rest of the wall time (loop overhead, progress reporting, end-of-epoch statistics).</summary>
    public const string Other = "other";

    /// <summary>The measured phases, in the order they are reported (<see cref="Other"/> comes last).</summary>
    public static readonly IReadOnlyList<string> Phases = [Steps, Augmentation, AugmenterUpdates, Validation, CleanTrain, Test, Checkpoint, Output];

    private readonly double[] _seconds = new double[Phases.Count];

    /// <summary>Seconds measured so far in all phases.</summary>
    public double Total => _seconds.Sum();

    /// <summary>Seconds of one phase.</summary>
    public double this[string phase] => _seconds[IndexOf(phase)];

    /// <summary>Adds <paramref name="seconds"/> to <paramref name="phase"/>.</summary>
    public void Add(string phase, double seconds) => _seconds[IndexOf(phase)] += Math.Max(0, seconds);

    /// <summary>Adds the time since <paramref name="start"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="phase"/>.</summary>
    public void AddSince(string phase, long start) => Add(phase, Stopwatch.GetElapsedTime(start).TotalSeconds);

    /// <summary>Runs <paramref name="work"/> and adds its time to <paramref name="phase"/>.</summary>
    public T Measure<T>(string phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        long start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            AddSince(phase, start);
        }
    }

    /// <summary>
    /// Seconds per phase, rounded to milliseconds, with <see cref="Other"/> = <paramref name="wallSeconds"/>
    /// minus the measured phases (never negative), for <c>summary.json</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToDictionary(double wallSeconds)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < Phases.Count; i++)
        {
            result[Phases[i]] = Math.Round(_seconds[i], 3);
        }
        result[Other] = Math.Round(Math.Max(0, wallSeconds - Total), 3);
        return result;
    }

    /// <summary>
    /// One line for people: each phase that took time, in seconds and as a share of <paramref name="wallSeconds"/>,
    /// e.g. <c>steps 41.2 s (71 %), augmentation 9.8 s (17 %), …</c>.
    /// </summary>
    /// <param name="breakdown">Seconds per phase (<see cref="ToDictionary"/>, or a summary's <c>time_breakdown</c>).</param>
    /// <param name="wallSeconds">The run's wall seconds.</param>
    public static string Describe(IReadOnlyDictionary<string, double> breakdown, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(breakdown);
        var parts = breakdown.Where(p => p.Value >= 0.05)
            .Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{p.Key.Replace('_', ' ')} {p.Value:F1} s ({100 * p.Value / Math.Max(1e-9, wallSeconds):F0} %)"));
        return string.Join(", ", parts);
    }

    /// <summary>Writes the seconds to a checkpoint.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_seconds.Length);
        foreach (var s in _seconds)
        {
            writer.Write(s);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static RunTimes Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32();
        if (count != Phases.Count)
        {
            throw new InvalidDataException($"{count} time phases, expected {Phases.Count}");
        }
        var times = new RunTimes();
        for (int i = 0; i < count; i++)
        {
            times._seconds[i] = reader.ReadDouble();
        }
        return times;
    }

    private static int IndexOf(string phase)
    {
        for (int i = 0; i < Phases.Count; i++)
        {
            if (string.Equals(Phases[i], phase, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException($"unknown phase '{phase}'", nameof(phase));
    }
}
