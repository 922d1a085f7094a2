using Dabo.Experiments;
using Dabo.IO;
using Dabo.Training;
using Dabo.Training.Policy;
using Dabo.Training.Runs;

namespace Dabo.Tests.Experiments;

/// <summary>
/// A comparison of <c>none</c> and <c>learned-policy</c> whose run directories hold made-up metrics
/// with a <c>policy</c> field: 2 slots of 4 operations (prior 1/4) moving linearly from the prior to
/// <see cref="Final"/> over the epochs.
/// </summary>
public static class SyntheticPolicyRuns
{
    public const string Method = "learned-policy";

    /// <summary>Last-epoch probabilities per seed and slot. Seed means, slot 1: identity 0.55 (2.2×, favoured), rotate 0.29, equalize 0.09 (0.36×), posterize 0.07 (0.28×, suppressed); slot 2: identity 0.05 (0.20×, suppressed).</summary>
    public static readonly Dictionary<string, double>[][] Final =
    [
        [
            new() { ["identity"] = 0.56, ["rotate"] = 0.29, ["posterize"] = 0.06, ["equalize"] = 0.09 },
            new() { ["identity"] = 0.05, ["rotate"] = 0.45, ["posterize"] = 0.30, ["equalize"] = 0.20 },
        ],
        [
            new() { ["identity"] = 0.54, ["rotate"] = 0.29, ["posterize"] = 0.08, ["equalize"] = 0.09 },
            new() { ["identity"] = 0.05, ["rotate"] = 0.45, ["posterize"] = 0.30, ["equalize"] = 0.20 },
        ],
    ];

    public static ComparisonResults Create(string root, int epochs = 4)
    {
        var none = new List<string>();
        var policy = new List<string>();
        for (int seed = 0; seed < 2; seed++)
        {
            none.Add(WriteRun(Path.Combine(root, $"none-seed{seed}"), "none", seed, epochs, policy: false));
            policy.Add(WriteRun(Path.Combine(root, $"policy-seed{seed}"), Method, seed, epochs, policy: true));
        }
        return new ComparisonResults(
            Dataset: "fashion-mnist",
            Model: "small-cnn",
            Epochs: epochs,
            TrainSize: 300,
            Methods:
            [
                new MethodResult("none", 2, 0.80, 0.01, 0.79, 0.795, 10, 20, 0, none),
                new MethodResult(Method, 2, 0.82, 0.01, 0.81, 0.815, 30, 60, 0.02, policy),
            ],
            Command: "dabo compare --augment none,learned-policy",
            Versions: new Dictionary<string, string>(),
            Date: "2025-01-02 03:04:05Z");
    }

    private static string WriteRun(string dir, string method, int seed, int epochs, bool policy)
    {
        Directory.CreateDirectory(dir);
        var run = new RunDirectory(dir);
        AtomicFile.WriteAllText(run.ConfigFile, new TrainingConfig { Augment = method, Epochs = epochs, Seed = seed }.ToJson());
        run.WriteMetrics(Enumerable.Range(1, epochs).Select(e => new EpochMetrics
        {
            Epoch = e,
            Lr = 0.05,
            TrainLoss = 2.0 / e,
            TrainAccuracy = 0.5 + (0.05 * e),
            ValAccuracy = 0.5 + (0.05 * e),
            TestAccuracy = 0.5 + (0.05 * e),
            Seconds = 3,
            Policy = policy ? Statistics(seed, (double)e / epochs) : null,
        }));
        File.WriteAllBytes(run.AugmentImageFile, SyntheticComparison.AugmentGrid(seed));
        return dir;
    }

    /// <summary>The policy a fraction <paramref name="progress"/> of the way from the prior to <see cref="Final"/>.</summary>
    private static PolicyStatistics Statistics(int seed, double progress)
    {
        var slots = Final[seed].Select(final => final.ToDictionary(p => p.Key, p => ((1 - progress) * 0.25) + (progress * p.Value))).ToList();
        return new PolicyStatistics
        {
            Slots = [.. slots.Select(p => new PolicySlotStatistics(p, new Dictionary<string, double> { ["rotate"] = 30 + (10 * progress), ["posterize"] = 5 - progress }))],
            Kl = slots.Sum(p => p.Values.Sum(x => x * Math.Log(x / 0.25))),
            Entropy = slots.Sum(p => -p.Values.Sum(x => x * Math.Log(x))),
            RewardMean = 0.1,
            RewardStd = 1,
            Updates = 10,
            Signal = new Dictionary<string, double> { ["identity"] = 3.2 + seed, ["rotate"] = 0.5, ["posterize"] = -4.0, ["equalize"] = -1.0 },
        };
    }
}
