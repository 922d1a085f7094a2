using Dabo.Methods;
using Dabo.Models;
using Dabo.Tests.Training;
using Dabo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Api;

/// <summary>The typed entry point on tiny generated data.</summary>
public class DaboTrainerTests
{
    private static readonly TrainingConfig Tiny = new() { TrainSize = 120, Epochs = 2, BatchSize = 16, PolicyUpdateEvery = 2, PolicySamples = 2 };

    // Class c has a bright bar at row 2c + 2: uint8 [n, 1, 12, 12] and int64 labels.
    private static (Tensor Images, Tensor Labels) Separable(int n, int seed)
    {
        var rng = new Random(seed);
        var pixels = new byte[n * 144];
        var labels = new long[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 4;
            for (int p = 0; p < 144; p++)
            {
                bool bar = p / 12 == (2 * labels[i]) + 2;
                pixels[(i * 144) + p] = (byte)Math.Clamp((bar ? 200 : 30) + rng.Next(-25, 26), 0, 255);
            }
        }
        return (tensor(pixels, [n, 1, 12, 12]), tensor(labels));
    }

    private static InMemoryData Data()
    {
        var (x, y) = Separable(160, 1);
        var (tx, ty) = Separable(40, 2);
        return new InMemoryData { TrainImages = x, TrainLabels = y, TestImages = tx, TestLabels = ty };
    }

    [Fact]
    public void Trains_from_tensors_returns_the_policy_and_saves_and_loads_in_one_call()
    {
        using var temp = new TempDirectory();
        var epochs = new List<EpochMetrics>();
        using var trained = DaboTrainer.Train(new TrainingOptions { Config = Tiny, Method = MethodSpec.LearnedPolicy(), Data = Data() }, new SyncProgress(epochs.Add));
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.NotNull(trained.Policy);
        Assert.Null(trained.Augmenter);
        Assert.Equal(["0", "1", "2", "3"], trained.ClassNames);
        Assert.Equal([1, 12, 12], trained.ImageShape);
        var top = trained.TopOperations(3);
        Assert.Equal(2, top.Count);
        Assert.All(top, slot => Assert.True(slot[0].Probability >= slot[1].Probability));
        Assert.False(trained.Module.training);

        var (images, _) = Separable(20, 3);
        using var before = trained.Predict(images);
        string file = temp.Combine("model.dabo");
        trained.Save(file);
        using var loaded = TrainedClassifier.Load(file);
        using var after = loaded.Predict(images);
        Assert.True(before.equal(after).all().item<bool>());
        Assert.Equal(trained.Mean, loaded.Mean);
        Assert.Equal(trained.TopOperations(5), loaded.TopOperations(5));
        Assert.Equal(trained.Summary.TestAccuracy, loaded.Summary.TestAccuracy);
    }

    [Fact]
    public void Leaves_threads_random_state_and_image_codec_as_they_were()
    {
        TorchRuntime.EnsureLoaded();
        int threads = get_num_threads();
        var imager = torchvision.io.DefaultImager;
        set_num_threads(1);
        manual_seed(123);
        using var rng = get_rng_state();
        try
        {
            using var trained = DaboTrainer.Train(new TrainingOptions { Config = Tiny with { Epochs = 1 }, Data = Data(), Threads = 2 });
            Assert.Equal(1, get_num_threads());
            using var after = get_rng_state();
            Assert.True(rng.equal(after).all().item<bool>());
            Assert.Same(imager, torchvision.io.DefaultImager);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    public void Gives_the_same_numbers_as_the_trainer_and_keeps_the_run_directory_when_asked()
    {
        using var temp = new TempDirectory();
        string data = temp.Combine("data");
        TrainingData.WriteSeparable(data);
        var config = Tiny with { Dataset = data, Augment = "trivialaugment" };
        var summary = new Trainer(config, temp.Combine("cli")).Run();
        using var trained = DaboTrainer.Train(new TrainingOptions { Config = config with { Augment = "none" }, Method = MethodSpec.Parse("trivialaugment"), OutputDirectory = temp.Combine("api") });
        // Bit-identical numbers: only the wall times (and their breakdown) may differ.
        Assert.Equal(summary with { WallSeconds = 0, SecondsPerEpoch = 0, TimeBreakdown = null }, trained.Summary with { WallSeconds = 0, SecondsPerEpoch = 0, TimeBreakdown = null });
        Assert.True(File.Exists(temp.Combine("api", "summary.json")));
    }

    [Fact]
    public void Trains_auto_and_says_what_it_chose()
    {
        using var temp = new TempDirectory();
        string data = temp.Combine("data");
        TrainingData.WriteSeparable(data);
        using var trained = DaboTrainer.Train(new TrainingOptions { Config = Tiny with { Dataset = data, Epochs = 4 }, Method = MethodSpec.Auto, OutputDirectory = temp.Combine("api") });
        Assert.Equal("auto", trained.Summary.Method);
        var selection = AutoSelection.TryRead(new Dabo.Training.Runs.RunDirectory(temp.Combine("api")))!;
        Assert.Equal(selection.Chosen, trained.Summary.Chosen);
        Assert.Contains(trained.Summary.Chosen, AutoKind.Candidates);
        using var plain = DaboTrainer.Train(new TrainingOptions { Config = Tiny with { Dataset = data, Epochs = 1 }, Method = MethodSpec.None });
        Assert.Null(plain.Summary.Chosen);
    }

    private static nn.Module<Tensor, Tensor> Custom(int channels, int classes) =>
        nn.Sequential(nn.Flatten(), nn.Linear(channels * 144, 16), nn.ReLU(), nn.Linear(16, classes));

    [Theory]
    [InlineData("learned-policy", HypergradMethod.Exact)]
    [InlineData("standard+learned-affine", HypergradMethod.Fd)]
    [InlineData("none", HypergradMethod.Exact)]
    public void A_custom_module_trains_with_first_order_methods(string method, HypergradMethod hypergrad)
    {
        using var trained = DaboTrainer.Train(new TrainingOptions { Config = Tiny with { Hypergrad = hypergrad, Flip = false }, Method = MethodSpec.Parse(method), Data = Data(), Model = Custom });
        Assert.IsType<TorchSharp.Modules.Sequential>(trained.Module);
        Assert.True(trained.IsCustomModule);
        Assert.InRange(trained.Summary.TestAccuracy, 0, 1);
        Assert.Equal(method.Contains("affine", StringComparison.Ordinal), trained.Augmenter is not null);
    }

    [Fact]
    public void The_exact_hypergradient_refuses_a_custom_module_naming_the_fix()
    {
        var e = Assert.Throws<DaboException>(() => DaboTrainer.Train(new TrainingOptions { Config = Tiny, Method = MethodSpec.Parse("learned-affine"), Data = Data(), Model = Custom }));
        Assert.Equal(Classifier.ExactNeedsFunctionalForward, e.Message);
        Assert.Contains("hypergrad fd", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private sealed class SyncProgress(Action<EpochMetrics> report) : IProgress<EpochMetrics>
    {
        public void Report(EpochMetrics value) => report(value);
    }
}
