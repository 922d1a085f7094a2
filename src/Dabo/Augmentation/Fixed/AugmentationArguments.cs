using System.Globalization;

namespace Dabo.Augmentation.Fixed;

/// <summary>The arguments of augmentation names (<c>random-affine:0.5</c>, <c>uniform-policy:3</c>), parsed with one message format.</summary>
public static class AugmentationArguments
{
    /// <summary>
    /// Parses a non-negative magnitude argument such as the <c>0.5</c> of <c>random-affine:0.5</c>,
    /// or returns <paramref name="fallback"/> when there is none; for factories in the registry.
    /// </summary>
    /// <exception cref="DaboException">When the argument is not a finite non-negative number.</exception>
    public static double Magnitude(string name, string? argument, double fallback)
    {
        if (argument is null)
        {
            return fallback;
        }
        if (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new DaboException($"augmentation '{name}:{argument}': the magnitude must be a non-negative number, e.g. {name}:0.5");
        }
        return value;
    }

    /// <summary>
    /// Parses a whole-number argument such as the <c>3</c> of <c>uniform-policy:3</c> within
    /// [<paramref name="min"/>, <paramref name="max"/>], or returns <paramref name="fallback"/> when there is none.
    /// </summary>
    /// <exception cref="DaboException">When the argument is not a whole number in range.</exception>
    public static int Count(string name, string? argument, int fallback, int min, int max)
    {
        if (argument is null)
        {
            return fallback;
        }
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new DaboException($"augmentation '{name}:{argument}': expected a whole number from {min} to {max}, e.g. {name}:{fallback}");
        }
        return value;
    }
}
