namespace Dabo;

/// <summary>One numeric option of an options record: its accepted range (which names the flag) and how to read it from the record.</summary>
/// <typeparam name="T">The options record.</typeparam>
/// <param name="Range">The flag and its accepted values.</param>
/// <param name="Value">Reads the option's value from a record.</param>
public sealed record OptionRange<T>(NumericRange Range, Func<T, double> Value)
{
    /// <summary>Checks every option of <paramref name="options"/> against its range; the first value outside names its flag.</summary>
    /// <exception cref="DaboException">A value outside its range.</exception>
    public static void CheckAll(IEnumerable<OptionRange<T>> declarations, T options)
    {
        ArgumentNullException.ThrowIfNull(declarations);
        foreach (var d in declarations)
        {
            d.Range.Check(d.Value(options));
        }
    }
}
