namespace Dabo.Training;

/// <summary>The learning-rate schedules Dabo offers.</summary>
public enum ScheduleKind
{
    /// <summary>Multiply by 0.2 at 30 %, 60 % and 80 % of training (the reference's 60/120/160 of 200 epochs).</summary>
    Step,

    /// <summary>Cosine decay from the base rate to zero.</summary>
    Cosine,

    /// <summary>Constant rate.</summary>
    Constant,
}

/// <summary>
/// The learning rate as a function of training progress, so that schedules scale with the
/// number of epochs: a short run gets the same shape as a long one.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Creates a schedule.</summary>
    /// <param name="kind">Shape of the schedule.</param>
    /// <param name="baseLr">Peak learning rate.</param>
    /// <param name="totalSteps">Number of optimizer steps in the whole run.</param>
    /// <param name="warmupSteps">Steps of linear warm-up from 0 (0 for none).</param>
    public LearningRateSchedule(ScheduleKind kind, double baseLr, long totalSteps, long warmupSteps = 0)
    {
        Kind = kind;
        BaseLr = baseLr;
        TotalSteps = Math.Max(1, totalSteps);
        WarmupSteps = Math.Max(0, warmupSteps);
    }

    /// <summary>Shape of the schedule.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>Peak learning rate.</summary>
    public double BaseLr { get; }

    /// <summary>Optimizer steps in the run.</summary>
    public long TotalSteps { get; }

    /// <summary>Warm-up steps.</summary>
    public long WarmupSteps { get; }

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            return BaseLr * (step + 1) / WarmupSteps;
        }
        double progress = Math.Clamp((double)step / TotalSteps, 0, 1);
        return Kind switch
        {
            ScheduleKind.Step => BaseLr * Math.Pow(0.2, progress >= 0.8 ? 3 : progress >= 0.6 ? 2 : progress >= 0.3 ? 1 : 0),
            ScheduleKind.Cosine => BaseLr * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp((double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps), 0, 1))),
            _ => BaseLr,
        };
    }

    /// <summary>Parses <c>step</c>, <c>cosine</c> or <c>constant</c>.</summary>
    public static ScheduleKind Parse(string name) => name.ToLowerInvariant() switch
    {
        "step" => ScheduleKind.Step,
        "cosine" => ScheduleKind.Cosine,
        "constant" => ScheduleKind.Constant,
        _ => throw new DaboException($"--schedule {name}: unknown schedule; use step, cosine or constant"),
    };
}
