using Dabo.Tests.Docs;

namespace Dabo.Tests.Architecture;

/// <summary>Namespaces match folders, so that a type is found where its namespace says.</summary>
public class NamespaceTests
{
    [Theory]
    [InlineData("src")]
    [InlineData("tests")]
    public void Every_namespace_is_its_folder_path(string projectsFolder)
    {
        var offenders = NamespaceRule.Offenders(RepositoryFiles.Path(projectsFolder));
        Assert.True(offenders.Count == 0, "namespace differs from folder:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void A_misplaced_or_missing_namespace_is_reported()
    {
        using var dir = new TempDirectory();
        Write(dir.Combine("Lib", "Good", "Fine.cs"), "namespace Lib.Good;\ninternal sealed class Fine;\n");
        Write(dir.Combine("Lib", "Moved", "Stale.cs"), "namespace Lib.Old;\ninternal sealed class Stale;\n");
        Write(dir.Combine("Lib", "Loose.cs"), "internal sealed class Loose;\n");
        Write(dir.Combine("Lib", "Program.cs"), "System.Console.WriteLine(1);\n");
        Write(dir.Combine("Lib", "obj", "Generated.cs"), "namespace Elsewhere;\n");

        Assert.Equal(
            ["Lib/Loose.cs: no namespace (expected Lib)", "Lib/Moved/Stale.cs: namespace Lib.Old (expected Lib.Moved)"],
            NamespaceRule.Offenders(dir.Path));
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
