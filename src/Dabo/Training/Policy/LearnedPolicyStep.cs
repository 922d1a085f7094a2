using Dabo.Augmentation.Policies;
using Dabo.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Policy;

/// <summary>
/// <c>learned-policy[:S]</c>: the classifier trains on images augmented by S operation slots drawn
/// from a learned <see cref="PolicyDistribution"/> (starting at the uniform policy, i.e.
/// <c>uniform-policy[:S]</c>); every <see cref="TrainingConfig.PolicyUpdateEvery"/> steps the policy
/// takes one REINFORCE step towards the augmentations whose training gradient best aligns with the
/// validation gradient, kept near the uniform prior by a KL penalty.
/// </summary>
/// <remarks>
/// Per update: v = ∇_w L_val on <see cref="TrainingConfig.PolicyValImages"/> clean validation images;
/// each of the N batch images is augmented <see cref="TrainingConfig.PolicySamples"/> = A times (the
/// first is the one the classifier trains on) and rewarded with <see cref="DirectionalReward"/>; the
/// advantage of a draw is its reward minus the mean reward of the same image's other draws (which
/// removes how easy the image is, the largest source of noise), standardized over the batch. Loss:
/// <c>−mean(A_i log q(draw_i)) + β·KL(q ‖ uniform)</c>, minimized by Adam on the logits. The optimum
/// of the KL-regularized objective is <c>q*(o) ∝ prior(o)·exp(R̄(o)/β)</c>: a reweighting of the
/// prior that cannot collapse to one transform. With <c>--policy-control shuffle</c> the advantages
/// are permuted at random within the batch: the same training with the signal destroyed.
/// </remarks>
public sealed class LearnedPolicyStep : TrainingStep
{
    private readonly StepContext _context;
    private readonly PlainStep _plain;
    private readonly PolicyDistribution _policy;
    private readonly AdamState _adam;
    private readonly Generator _generator;
    private readonly Generator _controlGenerator;
    private long _step;
    private EpochAccumulator _epoch;

    /// <summary>Creates the step at the uniform policy.</summary>
    /// <param name="context">The run.</param>
    /// <param name="slots">S, operation slots per image.</param>
    public LearnedPolicyStep(StepContext context, int slots)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Data.Validation.Count == 0)
        {
            throw new DaboException("--val-ratio 0: learned-policy needs a validation split for its reward; use e.g. --val-ratio 0.2");
        }
        _context = context;
        _plain = new PlainStep(context.Model, context.Optimizer, context.Normalize);
        _policy = new PolicyDistribution(PolicySpace.TrivialAugmentWide(context.Data.Channels), slots);
        _policy.OperationLogits.requires_grad_(true);
        _policy.MagnitudeLogits.requires_grad_(true);
        _adam = new AdamState([_policy.OperationLogits, _policy.MagnitudeLogits]);
        var seed = (context.Config.Seed * 7919L) + 5;
        _generator = new Generator(unchecked((ulong)seed), CPU);
        _controlGenerator = new Generator(unchecked((ulong)(seed + 1)), CPU);
        _epoch = new EpochAccumulator(_policy.Space.Count);
    }

    /// <summary>The policy being learned.</summary>
    public PolicyDistribution Policy => _policy;

    /// <inheritdoc />
    public override (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr)
    {
        var bytes = ToBytes(unitImages);
        var draw = _policy.Sample(bytes.shape[0], _generator);
        var augmented = draw.Apply(bytes, _policy.Space);
        StepProfiler.Mark("policy augment");
        if (_step % _context.Config.PolicyUpdateEvery == 0)
        {
            Update(bytes, augmented, draw, labels);
            StepProfiler.Mark("policy update");
        }
        else
        {
            draw.Dispose();
        }
        _step++;
        return _plain.Run(PreparedData.ToUnit(augmented, unitImages.device), labels, lr);
    }

    private void Update(Tensor bytes, Tensor augmented, SlotDraw draw, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var config = _context.Config;
        var model = _context.Model;
        var weights = model.Weights.Cast<Tensor>().ToList();
        var n = bytes.shape[0];
        int samples = config.PolicySamples;

        // The extra draws of the same images (after the training draw, so step 0 trains on exactly uniform-policy's draw).
        var images = augmented;
        var allDraw = draw;
        if (samples > 1)
        {
            using var extra = _policy.Sample(n * (samples - 1), _generator);
            var repeated = bytes.repeat(samples - 1, 1, 1, 1);
            images = cat([augmented, extra.Apply(repeated, _policy.Space)], 0);
            allDraw = new SlotDraw(cat([draw.Operations, extra.Operations], 1), cat([draw.Bins, extra.Bins], 1),
                cat([draw.Negate, extra.Negate], 1), cat([draw.Positions, extra.Positions], 1));
        }
        var device = _context.Device;
        var (xv, yv) = ValidationBatch();
        var v = DirectionalReward.ValidationGradient(model, weights, _context.Normalize(xv), yv);
        var rewards = DirectionalReward.Estimate(model, weights, v, _context.Normalize(PreparedData.ToUnit(images, device)), labels.repeat(samples));
        if (!isfinite(rewards).all().item<bool>())
        {
            _epoch.Skipped++;
            return;
        }
        var table = rewards.view(samples, n);
        // Leave-one-out baseline: the mean reward of the same image's other draws (the batch mean when A = 1).
        var advantage = samples > 1
            ? table - (table.sum([0], keepdim: true) - table) / (samples - 1)
            : table - table.mean();
        advantage = advantage.reshape(-1);
        advantage = advantage / (advantage.std() + 1e-8);
        if (config.PolicyControl == "shuffle")
        {
            advantage = advantage.index_select(0, randperm(advantage.shape[0], generator: _controlGenerator));
        }

        var logq = _policy.LogProbability(allDraw);
        var loss = -(advantage.detach().cpu() * logq).mean() + _policy.KlToUniform() * config.PolicyKl;
        var gradients = autograd.grad([loss], [_policy.OperationLogits, _policy.MagnitudeLogits]);
        if (!gradients.All(g => isfinite(g).all().item<bool>()))
        {
            _epoch.Skipped++;
            return;
        }
        _adam.Step([.. gradients], config.PolicyLr);
        _epoch.Add(rewards, advantage.cpu(), allDraw.Operations);
    }

    private (Tensor Images, Tensor Labels) ValidationBatch()
    {
        var wanted = _context.Config.PolicyValImages;
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        for (long have = 0; have < wanted;)
        {
            var (x, y) = _context.ValidationStream.Next();
            images.Add(x);
            labels.Add(y);
            have += x.shape[0];
        }
        var all = cat(images, 0);
        var allLabels = cat(labels, 0);
        return (PreparedData.ToUnit(all.narrow(0, 0, Math.Min(wanted, all.shape[0])), _context.Device),
            allLabels.narrow(0, 0, Math.Min(wanted, allLabels.shape[0])).to(_context.Device));
    }

    private static Tensor ToBytes(Tensor unitImages)
    {
        using var noGrad = no_grad();
        return (unitImages.cpu() * 255.0).round_().clamp_(0, 255).to_type(ScalarType.Byte);
    }

    /// <inheritdoc />
    public override Tensor Preview(Tensor unitImages)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(4242, CPU);
        using var draw = _policy.Sample(unitImages.shape[0], generator);
        var bytes = ToBytes(unitImages);
        return PreparedData.ToUnit(draw.Apply(bytes, _policy.Space), unitImages.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override EpochMetrics CompleteEpoch(EpochMetrics metrics)
    {
        var result = metrics with { Policy = _epoch.Complete(_policy) };
        _epoch = new EpochAccumulator(_policy.Space.Count);
        return result;
    }

    /// <inheritdoc />
    public override void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_step);
        _policy.OperationLogits.Save(writer);
        _policy.MagnitudeLogits.Save(writer);
        _adam.Save(writer);
        using (var s = _generator.get_state())
        {
            s.Save(writer);
        }
        using (var s = _controlGenerator.get_state())
        {
            s.Save(writer);
        }
    }

    /// <inheritdoc />
    public override void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _step = reader.ReadInt64();
        using (no_grad())
        {
            _policy.OperationLogits.Load(reader);
            _policy.MagnitudeLogits.Load(reader);
        }
        _adam.Load(reader);
        using (var s = TensorExtensionMethods.Load(reader))
        {
            _generator.set_state(s);
        }
        using (var s = TensorExtensionMethods.Load(reader))
        {
            _controlGenerator.set_state(s);
        }
    }

    /// <inheritdoc />
    public override void SaveArtifacts(RunDirectory run)
    {
        ArgumentNullException.ThrowIfNull(run);
        PolicyFile.Write(_policy, run.PolicyFile, _context.Data.Channels);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _plain.Dispose();
            _adam.Dispose();
            _policy.Dispose();
            _generator.Dispose();
            _controlGenerator.Dispose();
        }
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
            var r = rewards.to_type(ScalarType.Float64).cpu().data<double>().ToArray();
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
