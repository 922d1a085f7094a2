using Dabo.Methods;
using Dabo.Tests.Training;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Tests.Methods;

/// <summary>
/// <c>auto</c>: proxies of none and RandAugment at two strengths, the strongest within the tolerance of the best
/// final validation loss wins, and the run then trains the winner exactly as the winner alone would.
/// </summary>
[Collection("global-rng")]
public class AutoMethodTests
{
    public AutoMethodTests() => TorchRuntime.Initialize();

    private static TrainingConfig Config(string data, string augment = "auto") => ResumeTests.Config(data, augment, epochs: 8);

    [Theory]
    [InlineData(new[] { 0.50, 0.54, 0.56 }, "randaugment:1:5")] // 1:5 within 10 % of the best: the stronger wins
    [InlineData(new[] { 0.40, 0.60, 0.70 }, "none")]
    [InlineData(new[] { 0.60, 0.50, 0.45 }, "randaugment:2:10")]
    [InlineData(new[] { 0.50, 0.70, 0.52 }, "randaugment:2:10")] // the strongest within the margin, even past a worse one
    public void Chooses_the_strongest_candidate_within_the_tolerance_of_the_best(double[] losses, string expected)
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Combine("run"));
        Directory.CreateDirectory(run.Path);
        var method = Assert.IsType<AutoMethod>(MethodSpec.Parse("auto").Resolve(new TrainingConfig()));
        int i = 0;
        string chosen = method.Choose(new TrainingConfig(), run, (config, directory) =>
        {
            // A fake proxy: its metrics file holds one line with the planted validation loss.
            var proxy = new RunDirectory(directory);
            Directory.CreateDirectory(directory);
            proxy.WriteMetrics([new EpochMetrics { Epoch = 1, ValLoss = losses[i], ValAccuracy = 0.5 }]);
            Assert.Equal(AutoKind.Candidates[i++], config.Augment);
            Assert.Equal(8, config.Epochs); // a quarter of the default 30 epochs, rounded
            return proxy;
        })!;
        Assert.Equal(expected, chosen);
        Assert.Equal(expected, AutoSelection.TryRead(run)!.Chosen);
        Assert.Equal(expected, method.Choose(new TrainingConfig(), run, (_, _) => throw new InvalidOperationException("no proxy trains twice")));
        // A selection made under another tolerance (an older default) is refused, not reused.
        var stale = Assert.Throws<DaboException>(() => new AutoMethod(0.25, 0.05).Choose(new TrainingConfig(), run, (_, _) => throw new InvalidOperationException()));
        Assert.Contains("auto.tolerance=0.1,", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_run_trains_the_choice_exactly_as_the_choice_alone_and_resumes_the_same()
    {
        using var dir = new TempDirectory();
        TrainingData.WriteSeparable(dir.Combine("data"));
        var summary = new Trainer(Config(dir.Combine("data")), dir.Combine("auto")).Run();
        var selection = AutoSelection.TryRead(new RunDirectory(dir.Combine("auto")))!;
        Assert.Equal(3, selection.Proxies.Count);
        Assert.All(selection.Proxies, p => Assert.True(double.IsFinite(p.ValLoss)));
        Assert.Equal("auto", summary.Method);

        // The chosen method trained alone with the same configuration: the same model, byte for byte.
        new Trainer(Config(dir.Combine("data"), selection.Chosen), dir.Combine("alone")).Run();
        Assert.Equal(File.ReadAllBytes(dir.Combine("alone", "model.bin")), File.ReadAllBytes(dir.Combine("auto", "model.bin")));
        Assert.True(summary.WallSeconds > new RunDirectory(dir.Combine("auto", "final")).LoadMetrics().Sum(m => m.Seconds), "the wall time counts the proxies");
        double proxies = Directory.GetDirectories(dir.Combine("auto", "proxies")).Sum(p => new RunDirectory(p).LoadSummary()!.WallSeconds);
        Assert.Equal(proxies, summary.TimeBreakdown![RunTimes.Proxies], 2);
        Assert.Equal([RunTimes.Proxies, .. RunTimes.Phases, RunTimes.Other], summary.TimeBreakdown.Keys);
        Assert.InRange(summary.TimeBreakdown.Values.Sum(), summary.WallSeconds - 0.05, summary.WallSeconds + 0.05);

        // Interrupted during the second proxy and resumed: the same choice and model.
        using var cancel = new CancellationTokenSource();
        var stop = new StopAtStep(30, cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer(Config(dir.Combine("data")), dir.Combine("resumed"), stop).Run(cancellationToken: cancel.Token));
        Assert.False(File.Exists(dir.Combine("resumed", AutoSelection.FileName)), "interrupted before the choice");
        new Trainer(Config(dir.Combine("data")), dir.Combine("resumed")).Run(resume: true);
        Assert.Equal(File.ReadAllBytes(dir.Combine("auto", "model.bin")), File.ReadAllBytes(dir.Combine("resumed", "model.bin")));

        // Killed after the final run's files were copied up but before the summary: resumes without training.
        File.Delete(dir.Combine("resumed", "summary.json"));
        var again = new Trainer(Config(dir.Combine("data")), dir.Combine("resumed")).Run(resume: true);
        Assert.Equal(summary.TestAccuracy, again.TestAccuracy);
        Assert.True(File.Exists(dir.Combine("resumed", "summary.json")));
    }

    /// <summary>
    /// 16×16 grayscale images whose label is their brightness (a slightly darker or brighter noisy texture): RandAugment's
    /// brightness, contrast, equalize and autocontrast change it, so augmentation destroys the label.
    /// </summary>
    private static (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor Labels) Brightness(int n, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * 256];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            for (int p = 0; p < 256; p++)
            {
                pixels[(i * 256) + p] = (byte)Math.Clamp((i % 2 == 0 ? 97 : 103) + rng.Next(-60, 61), 0, 255);
            }
        }
        return (TorchSharp.torch.tensor(pixels, [n, 1, 16, 16]), TorchSharp.torch.tensor(labels));
    }

    [Fact]
    public void Chooses_no_augmentation_where_augmentation_destroys_the_label()
    {
        var (selection, why) = ChoiceOn(Brightness(400, 1), Brightness(200, 2), Brightness(200, 3), epochs: 16);
        Assert.True(selection.Chosen == "none", why);
    }

    [Fact]
    public void Chooses_augmentation_where_it_removes_a_shortcut_that_validation_images_lack()
    {
        var (selection, why) = ChoiceOn(BarsOnBackground(200, 1, shortcut: true), BarsOnBackground(200, 2, shortcut: false), BarsOnBackground(200, 3, shortcut: false), epochs: 24);
        // Without augmentation the proxy learns the background and is at chance on validation (0.49 when written).
        Assert.True(selection.Chosen == "randaugment:2:10", why);
    }

    // Trains `auto` on in-memory splits and returns its selection, with a line saying what it chose and why.
    private static (AutoSelection Selection, string Why) ChoiceOn(
        (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor Labels) train,
        (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor Labels) validation,
        (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor Labels) test,
        int epochs)
    {
        using var dir = new TempDirectory();
        using var trained = DaboTrainer.Train(new TrainingOptions
        {
            Config = new TrainingConfig { Model = "small-cnn", Augment = "auto", TrainSize = null, Epochs = epochs, BatchSize = 16, Seed = 1, Flip = false },
            Data = new InMemoryData
            {
                TrainImages = train.Images,
                TrainLabels = train.Labels,
                ValidationImages = validation.Images,
                ValidationLabels = validation.Labels,
                TestImages = test.Images,
                TestLabels = test.Labels,
            },
            OutputDirectory = dir.Combine("run"),
            Threads = 1,
        });
        var selection = AutoSelection.TryRead(new RunDirectory(dir.Combine("run")))!;
        return (selection, "chose " + selection.Chosen + ": " + string.Join(", ", selection.Proxies.Select(p => $"{p.Method} {p.ValLoss:F3} {p.ValAccuracy:F3}")));
    }

    /// <summary>
    /// 16×16 grayscale images whose label is a bar's orientation (horizontal or vertical, anywhere). With
    /// <paramref name="shortcut"/> the background is also dark for one class and bright for the other, an easier cue
    /// that the validation and test images lack (their background is random): RandAugment's photometric operations
    /// break the cue, so augmentation helps.
    /// </summary>
    private static (TorchSharp.torch.Tensor Images, TorchSharp.torch.Tensor Labels) BarsOnBackground(int n, int seed, bool shortcut)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * 256];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            int label = i % 2;
            labels[i] = label;
            int background = shortcut ? (label == 0 ? 60 : 190) + rng.Next(-10, 11) : rng.Next(50, 201);
            int bar = background < 128 ? background + 100 : background - 100;
            int row = rng.Next(2, 14), column = rng.Next(2, 14), start = rng.Next(0, 9);
            for (int p = 0; p < 256; p++)
            {
                int r = p / 16, c = p % 16;
                bool onBar = label == 0 ? r == row && c >= start && c < start + 8 : c == column && r >= start && r < start + 8;
                pixels[(i * 256) + p] = (byte)Math.Clamp((onBar ? bar : background) + rng.Next(-8, 9), 0, 255);
            }
        }
        return (TorchSharp.torch.tensor(pixels, [n, 1, 16, 16]), TorchSharp.torch.tensor(labels));
    }

    [Fact]
    public void The_shuffled_control_ignores_the_losses()
    {
        double[] losses = [0.40, 0.60, 0.70]; // auto would choose none
        var chosen = new HashSet<string>();
        for (int seed = 0; seed < 10; seed++)
        {
            using var dir = new TempDirectory();
            var run = new RunDirectory(dir.Combine("run"));
            Directory.CreateDirectory(run.Path);
            var config = new TrainingConfig { Augment = "auto-shuffled", Seed = seed };
            var method = Assert.IsType<AutoMethod>(RunSpec.From(config).Method);
            Assert.True(method.Shuffled);
            int i = 0;
            chosen.Add(method.Choose(config, run, (c, directory) =>
            {
                var proxy = new RunDirectory(directory);
                Directory.CreateDirectory(directory);
                proxy.WriteMetrics([new EpochMetrics { Epoch = 1, ValLoss = losses[i++], ValAccuracy = 0.5 }]);
                return proxy;
            })!);
        }
        Assert.True(chosen.Count >= 2, "the control chose " + string.Join(", ", chosen));
        Assert.True(MethodSpec.Parse("auto-shuffled").Learned!.IsControl);
        Assert.False(MethodSpec.Parse("auto").Learned!.IsControl);
    }

    [Fact]
    public void The_choice_is_described_with_its_grounds_in_any_culture()
    {
        var selection = new AutoSelection("randaugment:1:5", 0.25, 0.1,
            [new("none", 0.6123, 0.8), new("randaugment:1:5", 0.64, 0.79), new("randaugment:2:10", 0.7019, 0.77)]);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("auto chose randaugment:1:5 (proxies' final validation loss: none 0.612, randaugment:1:5 0.640, randaugment:2:10 0.702; the strongest within 10 % of the best)",
                selection.Describe("auto", control: false));
            Assert.EndsWith("; the control: drawn at random)", selection.Describe("auto-shuffled", control: true), StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Auto_stands_alone()
    {
        var e = Assert.Throws<DaboException>(() => RunSpec.From(new TrainingConfig { Augment = "standard+auto" }));
        Assert.Contains("auto chooses the augmentation itself", e.Message);
    }

    // Cancels at the given step counted over every sub-run.
    private sealed class StopAtStep(int step, CancellationTokenSource cancel) : ITrainingObserver
    {
        private int _steps;

        public void RunStarted(TrainingConfig config, string runDirectory, int trainImages, int valImages, int testImages, int stepsPerEpoch, int completedEpochs) { }

        public void StepCompleted(int epoch, int stepInEpoch, int stepsPerEpoch, double loss, double lr)
        {
            if (++_steps == step)
            {
                cancel.Cancel();
            }
        }

        public void EpochCompleted(EpochMetrics metrics, TrainingConfig config) { }

        public void Warning(string message) { }
    }
}
