using System.Diagnostics;

namespace Dabo.Training;

/// <summary>
/// Optional wall-clock timing of the phases of a training step (augment, forward, backward, …),
/// for finding where a step's time goes. Off by default (each mark is then one branch); switched on
/// by <see cref="Enabled"/> or the environment variable <c>DABO_PROFILE=1</c>. CPU tensor operations
/// are synchronous, so the time between two marks is the time of the operations between them.
/// Process-wide and not thread-safe: profile one step sequence at a time.
/// </summary>
public static class StepProfiler
{
    private static readonly Dictionary<string, (double Milliseconds, long Count)> Totals = new(StringComparer.Ordinal);
    private static readonly List<string> Order = [];
    private static long _last;

    /// <summary>Whether marks are recorded.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("DABO_PROFILE") == "1";

    /// <summary>Starts timing a step: the next <see cref="Mark"/> measures from here.</summary>
    public static void Start()
    {
        if (Enabled)
        {
            _last = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Adds the time since the previous mark (or <see cref="Start"/>) to <paramref name="phase"/>.</summary>
    /// <param name="phase">Phase name, e.g. <c>train forward</c>.</param>
    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }
        long now = Stopwatch.GetTimestamp();
        double ms = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        if (Totals.TryGetValue(phase, out var total))
        {
            Totals[phase] = (total.Milliseconds + ms, total.Count + 1);
        }
        else
        {
            Totals[phase] = (ms, 1);
            Order.Add(phase);
        }
        _last = Stopwatch.GetTimestamp();
    }

    /// <summary>Forgets everything recorded.</summary>
    public static void Reset()
    {
        Totals.Clear();
        Order.Clear();
    }

    /// <summary>Total milliseconds per phase divided by <paramref name="steps"/>, in first-seen order.</summary>
    /// <param name="steps">Number of steps the totals cover (≥ 1).</param>
    public static IReadOnlyList<PhaseTime> PerStep(int steps) =>
        Order.Select(p => new PhaseTime(p, Totals[p].Milliseconds / Math.Max(1, steps))).ToList();
}
