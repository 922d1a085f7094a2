using Dabo.Augmentation.Learned;
using Dabo.Experiments;
using Dabo.IO;
using Dabo.Training;
using Dabo.Training.Runs;
using SkiaSharp;

namespace Dabo.Tests.Experiments;

/// <summary>Run directories and a <see cref="ComparisonResults"/> made up by the tests, without training anything.</summary>
public static class SyntheticComparison
{
    public const string EscapedName = "<b>bold</b> & \"co\"";

    /// <summary>Three methods: none (2 seeds), learned-affine (2 seeds, learned parameters, clean loss), and one with an HTML-ish name and no validation.</summary>
    public static ComparisonResults Create(string root, int epochs = 6)
    {
        MethodResult Method(string name, int seeds, bool learned, bool validation, double test, double std, double? gain, double wall, double[] perSeed)
        {
            var dirs = new List<string>();
            for (int seed = 0; seed < seeds; seed++)
            {
                string dir = Path.Combine(root, $"{Slug(name)}-seed{seed}");
                WriteRun(dir, name, seed, epochs, learned, validation);
                dirs.Add(dir);
            }
            return new MethodResult(name, seeds, test, std, validation ? 0.80 : null, test - 0.005, wall, wall * seeds, gain, dirs, perSeed);
        }
        return new ComparisonResults(
            Dataset: "fashion-mnist",
            Model: "small-cnn",
            Epochs: epochs,
            TrainSize: 1000,
            Methods:
            [
                Method("none", 2, learned: false, validation: true, test: 0.8125, std: 0.0125, gain: 0, wall: 42, perSeed: [0.80, 0.825]),
                Method("learned-affine", 2, learned: true, validation: true, test: 0.8375, std: 0.0050, gain: 0.025, wall: 84, perSeed: [0.835, 0.84]),
                Method(EscapedName, 1, learned: false, validation: false, test: 0.7825, std: 0, gain: -0.03, wall: 7300, perSeed: [0.7825]),
            ],
            Command: "dabo compare --augment none,learned-affine --note '<script>alert(1)</script>'",
            Versions: new Dictionary<string, string> { ["Dabo"] = "0.1.0", ["TorchSharp"] = "0.107.0", [".NET"] = "10.0" },
            Date: "2025-01-02 03:04:05Z");
    }

    private static string Slug(string name) => new([.. name.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);

    private static void WriteRun(string dir, string method, int seed, int epochs, bool learned, bool validation)
    {
        Directory.CreateDirectory(dir);
        var run = new RunDirectory(dir);
        AtomicFile.WriteAllText(run.ConfigFile, new TrainingConfig { Augment = method, Epochs = epochs, Seed = seed }.ToJson());
        var metrics = Enumerable.Range(1, epochs).Select(e =>
        {
            double progress = (double)e / epochs;
            return new EpochMetrics
            {
                Epoch = e,
                Lr = 0.05 * (1 - progress),
                TrainLoss = 2.0 * Math.Exp(-progress * (learned ? 1.5 : 2.5)) + (0.01 * seed) + (0.02 * method.Length),
                TrainAccuracy = 0.3 + (0.5 * progress),
                TrainLossClean = learned ? 1.8 * Math.Exp(-progress * 2.5) : null,
                TrainAccuracyClean = learned ? 0.35 + (0.5 * progress) : null,
                ValLoss = validation ? 1.5 - progress : null,
                ValAccuracy = validation ? 0.4 + (0.4 * progress) + (0.01 * seed) : null,
                TestLoss = 1.5 - progress,
                TestAccuracy = 0.4 + ((learned ? 0.44 : 0.41) * progress) + (0.01 * seed) - (0.001 * method.Length),
                Seconds = 7,
                Augmenter = learned
                    ?
                    [
                        new ParameterStatistics("rotate", "deg", 2 * progress, 5 + (10 * progress)),
                        new ParameterStatistics("translate-x", "fraction of width", 0.01 * e, 0.02 + (0.01 * e)),
                    ]
                    : null,
                HypergradNorm = learned ? 0.1 / e : null,
            };
        });
        run.WriteMetrics(metrics);
        var summary = new RunSummary { Method = method, Model = "small-cnn", Dataset = "fashion-mnist", Seed = seed, Epochs = epochs, TestAccuracy = 0.8 };
        AtomicFile.WriteAllText(run.SummaryFile, System.Text.Json.JsonSerializer.Serialize(summary, TrainingConfig.JsonOptions));
        File.WriteAllBytes(run.AugmentImageFile, AugmentGrid(seed + method.Length));
    }

    /// <summary>A 2-row grid of 8 noisy 28×28 tiles, like the trainer's <c>augment.png</c>.</summary>
    public static byte[] AugmentGrid(int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(8 * 30, 2 * 30);
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                bool border = x % 30 < 2 || y % 30 < 2;
                byte v = border ? (byte)255 : (byte)random.Next(256);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
