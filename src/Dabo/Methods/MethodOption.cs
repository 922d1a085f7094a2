using Dabo.Training;

namespace Dabo.Methods;

/// <summary>
/// One option of a method kind, declared once here (key, accepted range, default, help) and set without code
/// elsewhere: <c>--set KEY=VALUE</c> on the command line, <c>"method_options": {"KEY": VALUE}</c> in config.json,
/// <see cref="TrainingConfig.MethodOptions"/> in the library. A kind lists its options in <see cref="MethodKind.Options"/>
/// and reads each with <see cref="ReadFrom"/>.
/// </summary>
/// <param name="Key">The name, <c>KIND.OPTION</c> in lower case (e.g. <c>test-erase.p</c>).</param>
/// <param name="Min">Lowest accepted value.</param>
/// <param name="Max">Highest accepted value.</param>
/// <param name="Default">The value when the option is not set.</param>
/// <param name="Help">One line for <c>--help</c> and the docs.</param>
/// <param name="Integer">Whether only whole numbers are accepted.</param>
public sealed record MethodOption(string Key, double Min, double Max, double Default, string Help, bool Integer = false)
{
    /// <summary>The accepted values; errors name <c>--set KEY</c>.</summary>
    public NumericRange Range => new($"--set {Key}", Min, Max, Integer, Hint: $"default {Default.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>The option's value in <paramref name="config"/>, or <see cref="Default"/>.</summary>
    /// <param name="config">The run's configuration.</param>
    public double ReadFrom(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.MethodOptions?.Get(Key) ?? Default;
    }
}
