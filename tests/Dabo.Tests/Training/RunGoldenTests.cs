using System.Security.Cryptography;
using System.Text;
using Dabo.Training;

namespace Dabo.Tests.Training;

/// <summary>
/// Every kind of method, trained for two short epochs at a fixed seed, writes exactly the files it wrote before
/// the run specification was redesigned (issue 21): the classifier, the learned augmenter or policy, their
/// exports, the preview grid, config.json and metrics.jsonl (wall times aside). Recorded on main at 37c3e09 on
/// this project's 2-core machine type, one libtorch thread.
/// </summary>
[Collection("global-rng")]
public class RunGoldenTests
{
    private static readonly string[] HashedFiles = ["config.json", "model.bin", "best_model.bin", "augmenter.bin", "policy.json", "torchvision.txt", "augment.png"];

    private static TrainingConfig Config(string data, string augment) => new()
    {
        Dataset = data,
        Model = "small-cnn",
        Augment = augment,
        TrainSize = 160,
        ValRatio = 0.25,
        Epochs = 2,
        BatchSize = 12,
        Lr = 0.05,
        Seed = 3,
        PolicyUpdateEvery = 4,
        PolicySamples = 2,
        PolicyValImages = 24,
    };

    [Theory]
    [InlineData("gray", "none", "", "EDCDDB1FF3FF24D419E2EBC076FBA2B8")]
    [InlineData("gray", "standard", "", "EA45CB79FEAB54210AC11AF79B5C17EB")]
    [InlineData("gray", "random-affine:0.5", "", "1656F5C1BC65E4BF2E52C16EF6FE50EF")]
    [InlineData("gray", "trivialaugment", "", "D49F1C72EA05A3DA94D8EBD03B6CA96E")]
    [InlineData("rgb", "randaugment", "", "6D4046EC70536074734745F9920234D3")]
    [InlineData("rgb", "standard+randaugment:2:9", "", "3D2E882CD472182C6D3D45787EAF0CC3")]
    [InlineData("rgb", "autoaugment", "", "ADE7686419CCEAFFB40BCD4B1F81B4D0")]
    [InlineData("gray", "uniform-policy:2", "", "54BA512324987BA142ADD228B29C4851")]
    [InlineData("gray", "policy:FILE", "", "AEB655E74980B6093FFCE8743B957682")]
    [InlineData("gray", "learned-affine", "", "46146CB525E23C193B77CC54E1E2912F")]
    [InlineData("gray", "learned-affine", "K=2", "E01E3CF2AC7126F9F23AED90F74CAC17")]
    [InlineData("gray", "learned-affine", "fd", "4CCF86725A12EE69CB997A0F6DF25FA9")]
    [InlineData("gray", "learned-affine", "fd-central", "5CE70B59BB671D5CFD275772DD9C16DE")]
    [InlineData("gray", "learned-affine", "mlp", "5FD2DB09B8B51A9C0C499D901F19D3B0")]
    [InlineData("gray", "standard+learned-affine", "", "487161F83B9D86384EF1BC23BB453199")]
    [InlineData("rgb", "learned-affine-color", "", "04A13AE360FF3EA07BF8ACD81BE1D092")]
    [InlineData("gray", "learned:RUN", "", "A399EED7DF8CFDB98E1C8E5ADB9AFC01")]
    [InlineData("gray", "learned-policy", "", "7D5AC8D501EA8F11721F35278DFF8612")]
    [InlineData("rgb", "learned-policy:1:narrow", "", "B0DF424D53957A6A9CA8D3E5C1D0901B")]
    [InlineData("gray", "learned-policy-shuffled", "", "92ECD604598A71926E1A06E9628B941B")]
    [InlineData("gray", "standard+learned-policy:1", "shuffle", "C15C7694040DC7AF3CABBDDA7A0D76BF")]
    [InlineData("gray", "learned-policy", "ops", "C462EF085DB6ACB250F6384D467748BB")]
    public void Seeded_run_writes_the_recorded_files(string data, string augment, string variant, string expected)
    {
        using var dir = new TempDirectory();
        string dataset = dir.Combine("data");
        if (data == "gray")
        {
            TrainingData.WriteSeparable(dataset);
        }
        else
        {
            TestFiles.WriteFiles(dataset, TestFiles.ImageFolderFiles(classes: 4, perClass: 40, testPerClass: 10, channels: 3));
        }
        if (augment == "learned:RUN")
        {
            Train(Config(dataset, "learned-affine") with { Epochs = 1 }, dir.Combine("source"));
            augment = "learned:" + dir.Combine("source");
        }
        if (augment == "policy:FILE")
        {
            Train(Config(dataset, "learned-policy:1") with { Epochs = 1 }, dir.Combine("source"));
            augment = "policy:" + dir.Combine("source", "policy.json");
        }
        var config = Config(dataset, augment);
        config = variant switch
        {
            "K=2" => config with { InnerSteps = 2 },
            "fd" => config with { Hypergrad = HypergradMethod.Fd },
            "fd-central" => config with { Hypergrad = HypergradMethod.FdCentral },
            "mlp" => config with { AugmenterKind = Dabo.Augmentation.Learned.AugmenterParametrization.Mlp },
            "shuffle" => config with { PolicyControl = PolicyControl.Shuffle },
            "ops" => config with { PolicyOperations = "identity,shear-x,translate-x,cutout" },
            _ => config,
        };
        string run = dir.Combine("run");
        Train(config, run);
        Assert.Equal(expected, Fingerprint(run, dir.Path));
    }

    private static void Train(TrainingConfig config, string run) => new Trainer(config, run) { Threads = 1 }.Run();

    /// <summary>SHA-256 over the run's files (paths of the temporary folder removed) and its metrics without wall times.</summary>
    private static string Fingerprint(string run, string root)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in HashedFiles)
        {
            string file = Path.Combine(run, name);
            if (!File.Exists(file))
            {
                continue;
            }
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            var bytes = File.ReadAllBytes(file);
            sha.AppendData(name is "config.json" or "torchvision.txt" ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(root, "ROOT", StringComparison.Ordinal)) : bytes);
        }
        foreach (var line in ResumeTests.MetricsWithoutTime(run))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..32];
    }
}
