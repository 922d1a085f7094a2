using System.Text.Json;
using System.Text.RegularExpressions;
using Dabo.Experiments;
using Dabo.Models;
using Dabo.Tests.Experiments;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace Dabo.Tests.Docs;

/// <summary>
/// docs/export.md's C# program that classifies a PNG with ONNX Runtime, run on an exported network. The program's lines
/// must appear in <see cref="The_onnx_example_classifies_a_png_like_onnx_runtime_on_dabos_pixels"/> in the same order,
/// with the substitutions of <see cref="ForTheTest"/> (the files).
/// </summary>
[Collection("global-rng")]
public partial class OnnxExampleTests
{
    [GeneratedRegex("## The classifier as ONNX.*?```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Example();

    /// <summary>Documentation text → what the test runs instead.</summary>
    private static readonly (string Docs, string Test)[] ForTheTest =
    [
        ("\"parts.json\"", "json"),
        ("\"parts.onnx\"", "onnx"),
        ("args[0]", "png"),
    ];

    /// <summary>Stands in for <see cref="System.Console"/> in the example.</summary>
    private static class Console
    {
        public static List<string> Lines { get; } = [];

        public static void WriteLine(string line) => Lines.Add(line);
    }

    public OnnxExampleTests() => TorchRuntime.Initialize();

    [Fact]
    public void The_onnx_example_classifies_a_png_like_onnx_runtime_on_dabos_pixels()
    {
        using var temp = new TempDirectory();
        string onnx = temp.Combine("parts.onnx"), json = temp.Combine("parts.json"), png = temp.Combine("bolt.png");
        TorchSharp.torch.manual_seed(5);
        using (var model = ModelRegistry.Create("small-cnn", 3, 4))
        {
            model.eval();
            ModelExport.WriteOnnx(model, onnx, new ExportMetadata(ModelExport.Format, "small-cnn", 3, 8, 8, ["a", "b", "c", "d"],
                [0.5, 0.4, 0.3], [0.2, 0.25, 0.3], ModelExport.OnnxInputDescription, "", null, null));
        }
        File.WriteAllBytes(png, TestFiles.Png(7, 3, 8, 8));
        Console.Lines.Clear();

        // ---- the documentation's example (see ForTheTest)
        var meta = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        int c = meta.GetProperty("channels").GetInt32(), h = meta.GetProperty("image_height").GetInt32(), w = meta.GetProperty("image_width").GetInt32();
        using var bitmap = SKBitmap.Decode(png).Resize(new SKImageInfo(w, h), new SKSamplingOptions(SKFilterMode.Linear));
        var pixels = new float[c * h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var p = bitmap.GetPixel(x, y);
                float[] rgb = [p.Red / 255f, p.Green / 255f, p.Blue / 255f];
                for (int k = 0; k < c; k++) pixels[(k * h + y) * w + x] = c == 1 ? (0.299f * rgb[0]) + (0.587f * rgb[1]) + (0.114f * rgb[2]) : rgb[k];
            }
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, c, h, w]);
        using var output = session.Run(new RunOptions(), ["image"], [input], ["probabilities"]);
        var probabilities = output[0].GetTensorDataAsSpan<float>().ToArray();
        int best = Array.IndexOf(probabilities, probabilities.Max());
        Console.WriteLine($"{meta.GetProperty("class_names")[best]} {probabilities[best]:P1}");
        // ---- end of the example

        using var images = Dabo.Data.ImageFiles.Read([png], 3, 8, 8);
        using var unit = images.to_type(TorchSharp.torch.ScalarType.Float32) / 255f;
        var (_, expected) = OnnxExportTests.RunOnnx(onnx, unit);
        OnnxExportTests.AssertClose(expected, probabilities);
        Assert.StartsWith(new[] { "a", "b", "c", "d" }[Array.IndexOf(expected, expected.Max())] + " ", Console.Lines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_documented_example_is_the_code_the_test_runs()
    {
        var example = Example().Match(File.ReadAllText(RepositoryFiles.Path("docs", "export.md")));
        Assert.True(example.Success, "docs/export.md has no ```csharp block under \"The classifier as ONNX\"");
        DocumentedExample.AssertRunBy("docs/export.md", example.Groups[1].Value, RepositoryFiles.Path("tests", "Dabo.Tests", "Docs", "OnnxExampleTests.cs"),
            "// ---- the documentation's example", ForTheTest);
    }
}
