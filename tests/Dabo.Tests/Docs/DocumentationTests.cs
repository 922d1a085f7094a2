using System.Text;
using System.Text.RegularExpressions;

namespace Dabo.Tests.Docs;

/// <summary>The README stays short and every link of the documentation leads somewhere.</summary>
public partial class DocumentationTests
{
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6}\s+(.*)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string> { "README.md" };
        foreach (string file in Directory.EnumerateFiles(RepositoryFiles.Path("docs"), "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryFiles.Root(), file).Replace('\\', '/'));
        }
        return data;
    }

    [Fact]
    public void Readme_is_at_most_8_KiB()
    {
        long bytes = new FileInfo(RepositoryFiles.Path("README.md")).Length;
        Assert.True(bytes <= 8192, $"README.md is {bytes} bytes; move details into docs/");
    }

    [Fact]
    public void Docs_folder_holds_the_moved_sections()
    {
        string[] expected = ["install.md", "layout.md", "limitations.md", "results.md", "speed.md", "usage.md"];
        Assert.All(expected, f => Assert.True(File.Exists(RepositoryFiles.Path("docs", f)), $"docs/{f} is missing"));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_points_to_an_existing_file_and_heading(string document)
    {
        string path = RepositoryFiles.Path(document);
        var broken = new List<string>();
        foreach (string target in Links(File.ReadAllText(path)))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            string[] parts = target.Split('#', 2);
            string file = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(parts[0])));
            if (!File.Exists(file) && !Directory.Exists(file))
            {
                broken.Add($"{target}: no such file");
            }
            else if (parts.Length == 2 && File.Exists(file) && !Anchors(File.ReadAllText(file)).Contains(parts[1]))
            {
                broken.Add($"{target}: no heading #{parts[1]}");
            }
        }
        Assert.True(broken.Count == 0, $"{document}: {string.Join("; ", broken)}");
    }

    [Fact]
    public void Link_checker_finds_links_and_github_anchors()
    {
        Assert.Equal(["docs/a.md", "b.md#x"], Links("see [a](docs/a.md) and [b](b.md#x)."));
        Assert.Contains("results-measured-here-2026-11-26", Anchors("## Results (measured here, 2026-11-26)\n"));
        Assert.Contains("use-from-c", Anchors("## Use from C#\n"));
    }

    [Fact]
    public void Source_comments_cite_no_file_outside_the_repository()
    {
        var offenders = new List<string>();
        foreach (string folder in new[] { "src", "tests" })
        {
            foreach (string file in Directory.EnumerateFiles(RepositoryFiles.Path(folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.EndsWith(nameof(DocumentationTests) + ".cs", StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (var (line, number) in File.ReadLines(file).Select((l, i) => (l.Trim(), i + 1)))
                {
                    bool comment = line.StartsWith("//", StringComparison.Ordinal);
                    if (line.Contains("DESIGN.md", StringComparison.Ordinal) || (comment && line.Contains("../shared", StringComparison.Ordinal)))
                    {
                        offenders.Add($"{Path.GetRelativePath(RepositoryFiles.Root(), file)}:{number}");
                    }
                }
            }
        }
        Assert.True(offenders.Count == 0, "comments citing files outside the repository: " + string.Join(", ", offenders));
    }

    private static List<string> Links(string markdown) =>
        [.. MarkdownLink().Matches(WithoutCodeBlocks(markdown)).Select(m => m.Groups[1].Value)];

    /// <summary>GitHub's anchors for the headings of <paramref name="markdown"/>: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Heading().Matches(WithoutCodeBlocks(markdown)))
        {
            var slug = new StringBuilder();
            foreach (char c in m.Groups[1].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }
            anchors.Add(slug.ToString());
        }
        return anchors;
    }

    private static string WithoutCodeBlocks(string markdown) =>
        Regex.Replace(markdown, "^```.*?^```", "", RegexOptions.Singleline | RegexOptions.Multiline);
}
