using Dabo.Augmentation.Learned;

namespace Dabo.Training;

/// <summary>How the bilevel step of a learned augmenter estimates the hypergradient (<c>--hypergrad</c>).</summary>
public enum HypergradMethod
{
    /// <summary>Exact: differentiates through the look-ahead step (second order; needs Dabo's functional forward).</summary>
    Exact,

    /// <summary>Forward difference of first-order gradients at shifted weights (<c>fd</c>).</summary>
    Fd,

    /// <summary>Central difference, two extra forward/backward passes (<c>fd-central</c>).</summary>
    FdCentral,
}

/// <summary>The learned policy's control (<c>--policy-control</c>).</summary>
public enum PolicyControl
{
    /// <summary>The policy learns from its reward.</summary>
    None,

    /// <summary>The advantages are permuted within each batch, which destroys the learning signal (<c>shuffle</c>).</summary>
    Shuffle,
}

/// <summary>
/// The one place that maps the command line's (and a config file's) words onto the enums of
/// <see cref="TrainingConfig"/>: lower-case, kebab-case names (<c>fd-central</c>), with the flag named in errors.
/// </summary>
public static class OptionNames
{
    /// <summary>Parses <c>--schedule</c>: step, cosine or constant.</summary>
    public static ScheduleKind Schedule(string name) => LearningRateSchedule.Parse(name);

    /// <summary>Parses <c>--hypergrad</c>: exact, fd or fd-central.</summary>
    public static HypergradMethod Hypergrad(string name) => name switch
    {
        "exact" => HypergradMethod.Exact,
        "fd" => HypergradMethod.Fd,
        "fd-central" => HypergradMethod.FdCentral,
        _ => throw new DaboException($"--hypergrad {name}: use exact, fd or fd-central"),
    };

    /// <summary>Parses <c>--augmenter-kind</c>: ranges or mlp.</summary>
    public static AugmenterParametrization AugmenterKind(string name) => name switch
    {
        "ranges" => AugmenterParametrization.Ranges,
        "mlp" => AugmenterParametrization.Mlp,
        _ => throw new DaboException($"--augmenter-kind {name}: use ranges or mlp"),
    };

    /// <summary>Parses <c>--policy-control</c>: none or shuffle.</summary>
    public static PolicyControl PolicyControl(string name) => name switch
    {
        "none" => Training.PolicyControl.None,
        "shuffle" => Training.PolicyControl.Shuffle,
        _ => throw new DaboException($"--policy-control {name}: use none or shuffle"),
    };

    /// <summary>Refuses a value outside the enum (a cast integer), naming the flag and the accepted words.</summary>
    /// <exception cref="DaboException">An undefined value.</exception>
    public static void CheckDefined<T>(T value, string flag)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new DaboException($"{flag}: undefined value {value}; use one of {string.Join(", ", Enum.GetValues<T>().Select(Of))}");
        }
    }

    /// <summary>The word of an enum value as the command line and config files write it (<c>FdCentral</c> → <c>fd-central</c>).</summary>
    public static string Of<T>(T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
