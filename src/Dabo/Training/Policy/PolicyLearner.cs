using Dabo.Augmentation.Policies;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Policy;

/// <summary>
/// Learns a <see cref="PolicyDistribution"/> from rewarded draws: leave-one-out advantages,
/// REINFORCE with a KL penalty towards the uniform prior, Adam on the logits. Where the rewards
/// come from is not its business (<see cref="LearnedPolicyStep"/> computes them).
/// </summary>
public sealed class PolicyLearner : IDisposable
{
    private readonly AdamState _adam;
    private readonly Generator _controlGenerator;
    private EpochAccumulator _epoch;

    /// <summary>Creates the learner around <paramref name="policy"/> (which it updates in place).</summary>
    /// <param name="policy">The policy, at its initial logits.</param>
    /// <param name="lr">Adam learning rate.</param>
    /// <param name="klWeight">β of the KL penalty.</param>
    /// <param name="shuffle">The control: permute the advantages at random within each update.</param>
    /// <param name="seed">Seed of the control's permutations.</param>
    public PolicyLearner(PolicyDistribution policy, double lr, double klWeight, bool shuffle, long seed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        Lr = lr;
        KlWeight = klWeight;
        Shuffle = shuffle;
        policy.OperationLogits.requires_grad_(true);
        policy.MagnitudeLogits.requires_grad_(true);
        _adam = new AdamState([policy.OperationLogits, policy.MagnitudeLogits]);
        _controlGenerator = new Generator(unchecked((ulong)seed), CPU);
        _epoch = new EpochAccumulator(policy.Space.Count);
    }

    /// <summary>The policy being learned.</summary>
    public PolicyDistribution Policy { get; }

    /// <summary>Adam learning rate.</summary>
    public double Lr { get; }

    /// <summary>β of the KL penalty.</summary>
    public double KlWeight { get; }

    /// <summary>Whether the advantages are shuffled (the control).</summary>
    public bool Shuffle { get; }

    /// <summary>
    /// One update from <paramref name="rewards"/> <c>[A·N]</c> of the draws <paramref name="draw"/>
    /// (<c>[S, A·N]</c>; draw j·N + i is the j-th draw of image i). Returns false, and counts a
    /// skipped update, when a reward or the gradient is not finite; the policy is then unchanged.
    /// </summary>
    /// <param name="rewards">float64 rewards, higher is better.</param>
    /// <param name="draw">The draws that were rewarded.</param>
    /// <param name="samples">A, draws per image.</param>
    public bool Learn(Tensor rewards, SlotDraw draw, int samples)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        using var scope = NewDisposeScope();
        var r = rewards.to_type(ScalarType.Float64).cpu();
        if (r.shape[0] % samples != 0 || r.shape[0] != draw.Operations.shape[1])
        {
            throw new ArgumentException($"{r.shape[0]} rewards for {draw.Operations.shape[1]} draws and {samples} draws per image");
        }
        if (!isfinite(r).all().item<bool>())
        {
            _epoch.Skipped++;
            return false;
        }
        var table = r.view(samples, -1);
        // Leave-one-out baseline: the mean reward of the same image's other draws (the batch mean when A = 1).
        var advantage = samples > 1
            ? table - ((table.sum([0], keepdim: true) - table) / (samples - 1))
            : table - table.mean();
        advantage = advantage.reshape(-1);
        advantage = advantage / (advantage.std() + 1e-8);
        if (Shuffle)
        {
            advantage = advantage.index_select(0, randperm(advantage.shape[0], generator: _controlGenerator));
        }
        var logq = Policy.LogProbability(draw);
        var loss = -(advantage.detach() * logq).mean() + (Policy.KlToUniform() * KlWeight);
        var gradients = autograd.grad([loss], [Policy.OperationLogits, Policy.MagnitudeLogits]);
        if (!gradients.All(g => isfinite(g).all().item<bool>()))
        {
            _epoch.Skipped++;
            return false;
        }
        _adam.Step([.. gradients], Lr);
        _epoch.Add(r, advantage, draw.Operations);
        return true;
    }

    /// <summary>The epoch's statistics (policy, KL, entropy, rewards, signal); starts a new epoch.</summary>
    public PolicyStatistics CompleteEpoch()
    {
        var statistics = _epoch.Complete(Policy);
        _epoch = new EpochAccumulator(Policy.Space.Count);
        return statistics;
    }

    /// <summary>Writes the logits, Adam's state and the control's generator.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Policy.OperationLogits.Save(writer);
        Policy.MagnitudeLogits.Save(writer);
        _adam.Save(writer);
        using var s = _controlGenerator.get_state();
        s.Save(writer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using (no_grad())
        {
            Policy.OperationLogits.Load(reader);
            Policy.MagnitudeLogits.Load(reader);
        }
        _adam.Load(reader);
        using var s = TensorExtensionMethods.Load(reader);
        _controlGenerator.set_state(s);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _adam.Dispose();
        _controlGenerator.Dispose();
    }

    /// <summary>Rewards, advantages per operation and counts over one epoch.</summary>
    private sealed class EpochAccumulator(int operations)
    {
        private readonly double[] _advantageSum = new double[operations];
        private readonly double[] _advantageSquares = new double[operations];
        private readonly long[] _count = new long[operations];
        private double _rewardSum;
        private double _rewardSquares;
        private long _rewards;
        private int _updates;

        public int Skipped { get; set; }

        public void Add(Tensor rewards, Tensor advantage, Tensor operations)
        {
            var r = rewards.to_type(ScalarType.Float64).data<double>().ToArray();
            var a = advantage.to_type(ScalarType.Float64).data<double>().ToArray();
            var ops = operations.cpu().contiguous().data<long>().ToArray();
            foreach (var x in r)
            {
                _rewardSum += x;
                _rewardSquares += x * x;
            }
            _rewards += r.Length;
            // Each draw's advantage counts for every operation of its slots.
            for (int j = 0; j < ops.Length; j++)
            {
                var i = j % a.Length;
                _advantageSum[ops[j]] += a[i];
                _advantageSquares[ops[j]] += a[i] * a[i];
                _count[ops[j]]++;
            }
            _updates++;
        }

        public PolicyStatistics Complete(PolicyDistribution policy)
        {
            using var scope = NewDisposeScope();
            var space = policy.Space;
            var (k, b) = (space.Count, space.Bins);
            var ops = policy.OperationProbabilities().data<double>().ToArray();
            var bins = policy.MagnitudeProbabilities().data<double>().ToArray();
            var slots = new List<PolicySlotStatistics>();
            for (int s = 0; s < policy.Slots; s++)
            {
                var probabilities = new Dictionary<string, double>();
                var magnitudes = new Dictionary<string, double>();
                for (int o = 0; o < k; o++)
                {
                    var entry = space.Entries[o];
                    probabilities[entry.Operation.Name] = Math.Round(ops[s * k + o], 6);
                    if (entry.Range is { } range)
                    {
                        double mean = 0;
                        for (int i = 0; i < b; i++)
                        {
                            mean += bins[((s * k) + o) * b + i] * Math.Abs(range.At(i, b));
                        }
                        magnitudes[entry.Operation.Name] = Math.Round(mean, 6);
                    }
                }
                slots.Add(new PolicySlotStatistics(probabilities, magnitudes));
            }
            Dictionary<string, double>? signal = null;
            if (_updates > 0)
            {
                signal = [];
                for (int o = 0; o < k; o++)
                {
                    if (_count[o] < 2)
                    {
                        continue;
                    }
                    double mean = _advantageSum[o] / _count[o];
                    double variance = Math.Max(0, (_advantageSquares[o] / _count[o]) - (mean * mean));
                    double standardError = Math.Sqrt(variance / (_count[o] - 1));
                    signal[space.Entries[o].Operation.Name] = standardError > 0 ? Math.Round(mean / standardError, 3) : 0;
                }
            }
            double rewardMean = _rewards > 0 ? _rewardSum / _rewards : double.NaN;
            using var kl = policy.KlToUniform();
            return new PolicyStatistics
            {
                Slots = slots,
                Kl = Math.Round(kl.item<double>(), 6),
                Entropy = Math.Round(policy.OperationEntropy(), 6),
                RewardMean = _rewards > 0 ? rewardMean : null,
                RewardStd = _rewards > 1 ? Math.Sqrt(Math.Max(0, (_rewardSquares / _rewards) - (rewardMean * rewardMean))) : null,
                Updates = _updates,
                Skipped = Skipped,
                Signal = signal,
            };
        }
    }
}
