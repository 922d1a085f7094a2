namespace Dabo.Tests.Architecture;

/// <summary>The C# files of a source tree, without build output.</summary>
internal static class SourceFiles
{
    /// <summary>Every <c>.cs</c> file under <paramref name="root"/>, skipping <c>bin/</c> and <c>obj/</c>, in ordinal order.</summary>
    public static IReadOnlyList<string> Under(string root) =>
        [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)];

    /// <summary>The path of <paramref name="file"/> relative to <paramref name="root"/>, with forward slashes.</summary>
    public static string Relative(string root, string file) => Path.GetRelativePath(root, file).Replace('\\', '/');
}
