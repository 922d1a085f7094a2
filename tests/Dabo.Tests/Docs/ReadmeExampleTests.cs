using System.Text.RegularExpressions;
using Dabo;
using Dabo.Methods;
using Dabo.Tests.Training;
using Dabo.Training;

namespace Dabo.Tests.Docs;

/// <summary>
/// The README's "Use from C#" example, run on a tiny generated dataset. The example's lines must appear in
/// <see cref="The_use_from_csharp_example_trains_and_reads_its_files"/> in the same order, with the
/// substitutions of <see cref="ForTheTest"/> (the data, a short run and a temporary run directory).
/// </summary>
[Collection("global-rng")]
public partial class ReadmeExampleTests
{
    [GeneratedRegex("## Use from C#.*?```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();

    /// <summary>README text → what the test runs instead.</summary>
    private static readonly (string Readme, string Test)[] ForTheTest =
    [
        ("Dataset = \"fashion-mnist\", TrainSize = 500, Epochs = 30", "Dataset = data, TrainSize = 200, Epochs = 2, BatchSize = 16"),
        ("\"fashion.dabo\"", "file"),
    ];

    /// <summary>Stands in for <see cref="System.Console"/> in the example, so the test reads what it printed.</summary>
    private static class Console
    {
        public static List<string> Lines { get; } = [];

        public static void WriteLine(string line) => Lines.Add(line);
    }

    public ReadmeExampleTests() => TorchRuntime.Initialize();

    [Fact]
    public void The_use_from_csharp_example_trains_and_reads_its_files()
    {
        using var temp = new TempDirectory();
        string data = temp.Combine("data"), file = temp.Combine("fashion.dabo");
        TrainingData.WriteSeparable(data);
        Console.Lines.Clear();

        // ---- the README's example (see ForTheTest)
        var options = new TrainingOptions
        {
            Config = new TrainingConfig { Dataset = data, TrainSize = 200, Epochs = 2, BatchSize = 16 },
            Method = MethodSpec.LearnedPolicy(),
        };
        using var trained = DaboTrainer.Train(options); // or await DaboTrainer.TrainAsync(options, progress, ct)
        Console.WriteLine($"test accuracy {trained.Summary.TestAccuracy:P2}");
        foreach (var slot in trained.TopOperations(top: 3))
        {
            Console.WriteLine(string.Join(", ", slot.Select(o => $"{o.Operation} {o.Probability:P1}")));
        }
        trained.Save(file); // TrainedClassifier.Load(file) reads module, normalization and policy back
        // ---- end of the example

        Assert.StartsWith("test accuracy ", Console.Lines[0], StringComparison.Ordinal);
        Assert.Equal(3, Console.Lines.Count); // two slots
        Assert.Equal(3, Console.Lines[1].Split(", ").Length);
        using var loaded = TrainedClassifier.Load(file);
        Assert.Equal(trained.TopOperations(), loaded.TopOperations());
        Assert.Equal("learned-policy", loaded.Summary.Method);
    }

    [Fact]
    public void The_readme_example_is_the_code_the_test_runs()
    {
        var example = Example().Match(File.ReadAllText(RepositoryFiles.Path("README.md")));
        Assert.True(example.Success, "README.md has no ```csharp block under \"Use from C#\"");
        var lines = DocumentedExample.AssertRunBy("README", example.Groups[1].Value, RepositoryFiles.Path("tests", "Dabo.Tests", "Docs", "ReadmeExampleTests.cs"),
            "// ---- the README's example", [.. ForTheTest.Select(s => (s.Readme, s.Test))]);
        Assert.InRange(lines.Count, 5, 15);
    }
}
