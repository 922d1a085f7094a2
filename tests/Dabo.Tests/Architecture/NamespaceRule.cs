using System.Text.RegularExpressions;

namespace Dabo.Tests.Architecture;

/// <summary>
/// The rule "the namespace is the folder": <c>src/Dabo/X/Y/F.cs</c> declares <c>Dabo.X.Y</c>, where the
/// path is taken relative to the folder that holds the projects (<c>src/</c> or <c>tests/</c>). A file
/// without a namespace passes only if it declares no type (top-level statements, assembly attributes).
/// </summary>
internal static partial class NamespaceRule
{
    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:[\w]+\s+)*(?:class|record|struct|interface|enum)\s+\w+", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    /// <summary>One line per file under <paramref name="projectsFolder"/> that breaks the rule: path, declared and expected namespace.</summary>
    public static IReadOnlyList<string> Offenders(string projectsFolder)
    {
        var offenders = new List<string>();
        foreach (string file in SourceFiles.Under(projectsFolder))
        {
            string relative = SourceFiles.Relative(projectsFolder, file);
            string expected = Path.GetDirectoryName(relative)!.Replace('\\', '/').Replace('/', '.');
            string text = File.ReadAllText(file);
            var declared = NamespaceDeclaration().Matches(text).Select(m => m.Groups[1].Value).ToList();
            if (declared.Count == 0)
            {
                if (TypeDeclaration().IsMatch(text))
                {
                    offenders.Add($"{relative}: no namespace (expected {expected})");
                }
                continue;
            }
            foreach (string ns in declared.Where(ns => ns != expected))
            {
                offenders.Add($"{relative}: namespace {ns} (expected {expected})");
            }
        }
        return offenders;
    }
}
