using System.Globalization;

namespace Dabo;

/// <summary>
/// The accepted values of one numeric setting (a flag or a config key): finite numbers in an
/// interval, optionally whole. Checks text as typed (so that overflow, <c>nan</c> and <c>inf</c>
/// are named with the flag) and parsed values alike, with one message format.
/// </summary>
/// <param name="Flag">The flag, e.g. <c>--lr</c>, named in every error.</param>
/// <param name="Min">Lowest accepted value.</param>
/// <param name="Max">Highest accepted value.</param>
/// <param name="Integer">Whether only whole numbers are accepted.</param>
/// <param name="MinExclusive">Whether <paramref name="Min"/> itself is refused.</param>
/// <param name="MaxExclusive">Whether <paramref name="Max"/> itself is refused.</param>
/// <param name="Hint">What to pass instead, e.g. <c>e.g. 0.05</c>; appended to errors.</param>
public sealed record NumericRange(string Flag, double Min, double Max, bool Integer = false, bool MinExclusive = false, bool MaxExclusive = false, string? Hint = null)
{
    /// <summary>Largest accepted learning rate: far beyond any useful value, and small enough to stay a finite float in libtorch.</summary>
    public const double MaxLearningRate = 1e6;

    /// <summary>A whole-number range.</summary>
    public static NumericRange Whole(string flag, long min, long max, string? hint = null) => new(flag, min, max, Integer: true, Hint: hint);

    /// <summary>True when <paramref name="value"/> is finite, inside the interval and (if required) whole.</summary>
    public bool Contains(double value) =>
        double.IsFinite(value)
        && (MinExclusive ? value > Min : value >= Min)
        && (MaxExclusive ? value < Max : value <= Max)
        && (!Integer || value == Math.Floor(value));

    /// <summary>"a number in (0, 1000000]" or "a whole number in [1, 100000]", with the hint.</summary>
    public string Describe() =>
        $"{(Integer ? "a whole number" : "a finite number")} in {(MinExclusive ? "(" : "[")}{Format(Min)}, {Format(Max)}{(MaxExclusive ? ")" : "]")}{(Hint is null ? "" : $", {Hint}")}";

    /// <summary>Throws a <see cref="DaboException"/> naming the flag and the range when <paramref name="value"/> is outside it.</summary>
    public void Check(double value)
    {
        if (!Contains(value))
        {
            throw new DaboException($"{Flag} {Format(value)}: out of range; use {Describe()}");
        }
    }

    /// <summary>Parses <paramref name="text"/> as typed on the command line and checks it; returns the value.</summary>
    public double CheckText(string text)
    {
        var style = Integer ? NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite : NumberStyles.Float;
        bool parsed = double.TryParse(text, style, CultureInfo.InvariantCulture, out double value);
        if (!parsed)
        {
            throw new DaboException($"{Flag} {text}: not {(Integer ? "a whole number" : "a number")}; use {Describe()}");
        }
        if (!Contains(value))
        {
            // Quote the text: a huge integer would otherwise be shown rounded.
            throw new DaboException($"{Flag} {text}: out of range; use {Describe()}");
        }
        return value;
    }

    /// <summary>Invariant, short formatting of a bound or value (whole numbers without exponent).</summary>
    public static string Format(double value) =>
        Math.Abs(value) < 1e15 && value == Math.Floor(value)
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
}
