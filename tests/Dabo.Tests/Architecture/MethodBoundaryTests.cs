using System.Text.RegularExpressions;
using Dabo.Tests.Docs;

namespace Dabo.Tests.Architecture;

/// <summary>
/// The method's text is parsed once, at the boundary (<c>RunSpec.From</c>): the training stack behind it — the loop,
/// the steps, the methods, augmentation, models, data and what reloads a run — reads the typed method object and
/// never the text (<c>TrainingConfig.Augment</c>) nor parses it again (<c>MethodSpec.Parse</c>). Checked on the
/// source text with comments and strings removed.
/// </summary>
public partial class MethodBoundaryTests
{
    // Behind the boundary: whole folders, and the files of other folders that load or rebuild a run.
    private static readonly string[] BehindTheBoundary =
    [
        "src/Dabo/Training/", "src/Dabo/Methods/", "src/Dabo/Augmentation/", "src/Dabo/Models/", "src/Dabo/Data/",
        "src/Dabo/Api/DaboTrainer.cs", "src/Dabo/Api/TrainedClassifier.cs", "src/Dabo/DaboTrainer.cs", "src/Dabo/TrainedClassifier.cs",
        "src/Dabo/Experiments/RunAugmentation.cs", "src/Dabo/Experiments/RunEvaluation.cs", "src/Dabo/Experiments/AugmentationPreview.cs",
        "src/Dabo/Experiments/Benchmarks/SpeedBenchmark.cs",
    ];

    // The boundary itself: the parser, the config.json shape and the one place that turns one into a method.
    private static readonly string[] Boundary =
    [
        "src/Dabo/Methods/MethodSpec.cs", "src/Dabo/Training/TrainingConfig.cs", "src/Dabo/Training/RunSpec.cs",
    ];

    [GeneratedRegex(@"\.Augment\b(?!\s*\()|\bMethodSpec\.Parse\s*\(")]
    private static partial Regex ReadsTheText();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [Fact]
    public void Nothing_behind_the_boundary_reads_or_parses_the_method_text()
    {
        string root = RepositoryFiles.Root();
        var offenders = new List<string>();
        int files = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal)
                || !BehindTheBoundary.Any(relative.StartsWith) || Boundary.Contains(relative))
            {
                continue;
            }
            files++;
            string code = CommentsAndStrings().Replace(File.ReadAllText(file), "");
            offenders.AddRange(code.Split('\n').Where(l => ReadsTheText().IsMatch(l)).Select(l => $"{relative}: {l.Trim()}"));
        }
        Assert.True(files > 50, $"only {files} files checked: the folder list is out of date");
        Assert.True(offenders.Count == 0, "the method's text read behind the boundary:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_sees_a_read_of_the_text()
    {
        Assert.Matches(ReadsTheText(), "var m = MethodSpec.Parse(config.Augment);");
        Assert.Matches(ReadsTheText(), "if (_config.Augment == x)");
        Assert.DoesNotMatch(ReadsTheText(), "var y = augmenter.Augment(x).Images;");
        Assert.Empty(CommentsAndStrings().Replace("// config.Augment\n\"MethodSpec.Parse(a)\"", "").Trim());
    }
}
