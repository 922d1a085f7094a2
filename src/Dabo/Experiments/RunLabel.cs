using System.Text.RegularExpressions;

namespace Dabo.Experiments;

/// <summary>The folder name of a method's runs, shared by comparisons, grid searches, suites and TensorBoard.</summary>
public static partial class RunLabel
{
    /// <summary>A file-system-safe folder name for <paramref name="method"/>: every character but letters, digits and <c>. + -</c> becomes <c>_</c>.</summary>
    public static string Of(string method) => UnsafeCharacters().Replace(method, "_");

    [GeneratedRegex("[^A-Za-z0-9.+-]")]
    private static partial Regex UnsafeCharacters();
}
