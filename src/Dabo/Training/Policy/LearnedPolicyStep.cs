using System.Diagnostics;
using Dabo.Augmentation.Policies;
using Dabo.Data;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Policy;

/// <summary>
/// <c>learned-policy[:S][:wide|narrow]</c>: the classifier trains on images augmented by S operation slots drawn
/// from a learned <see cref="PolicyDistribution"/> that starts at the uniform policy (step 0 draws
/// exactly what <c>uniform-policy[:S]</c> draws with the same seed); every
/// <see cref="PolicyOptions.UpdateEvery"/> steps the <see cref="PolicyLearner"/> moves it
/// towards the augmentations whose training gradient aligns best with the validation gradient.
/// </summary>
/// <remarks>
/// Per update: v = ∇_w L_val on <see cref="PolicyOptions.ValImages"/> clean validation images;
/// each of the N batch images is augmented <see cref="PolicyOptions.Samples"/> = A times (the
/// first draw is the one the classifier trains on) and each draw is rewarded with
/// <see cref="DirectionalReward"/>. The identity operation in every slot's categorical makes the
/// strength learnable: its probability is the chance that the slot leaves the image alone.
/// </remarks>
public sealed class LearnedPolicyStep : TrainingStep
{
    private readonly StepContext _context;
    private readonly PlainStep _plain;
    private readonly PolicyLearner _learner;
    private readonly Generator _generator;
    private readonly PolicyOptions _options;
    private readonly string? _fixedText;
    private long _step;

    /// <summary>Creates the step at the uniform policy over <paramref name="space"/>.</summary>
    /// <param name="context">The run.</param>
    /// <param name="slots">S, operation slots per image.</param>
    /// <param name="space">The operations and their magnitude ranges.</param>
    /// <param name="shuffle">The control: advantages permuted at random (<c>learned-policy-shuffled</c>).</param>
    /// <param name="options">The learner's options.</param>
    /// <param name="seed">Seed of the policy's draws (<see cref="SeedStreams.Policy"/>).</param>
    /// <param name="learnerSeed">Seed of the learner's own draws (<see cref="SeedStreams.PolicyLearner"/>).</param>
    /// <param name="fixedText">The method's fixed part, named in the exported <c>torchvision.txt</c>; null for none.</param>
    public LearnedPolicyStep(StepContext context, int slots, PolicySpace space, bool shuffle, PolicyOptions options, long seed, long learnerSeed, string? fixedText)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Data.Validation.Count == 0)
        {
            throw new DaboException("--val-ratio 0: learned-policy needs a validation split for its reward; use e.g. --val-ratio 0.2");
        }
        _context = context;
        _options = options;
        _fixedText = fixedText;
        _plain = new PlainStep(context.Model, context.Optimizer, context.Normalize);
        _generator = new Generator(unchecked((ulong)seed), CPU);
        _learner = new PolicyLearner(new PolicyDistribution(space, slots), options.Lr, options.Kl, shuffle, learnerSeed);
    }

    /// <summary>The policy being learned.</summary>
    public PolicyDistribution Policy => _learner.Policy;

    /// <inheritdoc />
    public override (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr)
    {
        StepProfiler.Start();
        long start = Stopwatch.GetTimestamp();
        var bytes = PreparedData.ToBytes(unitImages);
        using var draw = Policy.Sample(bytes.shape[0], _generator);
        var augmented = draw.Apply(bytes, Policy.Space);
        StepProfiler.Mark("policy augment");
        Times?.AddSince(RunTimes.Augmentation, start);
        if (_step % _options.UpdateEvery == 0)
        {
            start = Stopwatch.GetTimestamp();
            Update(bytes, augmented, draw, labels);
            StepProfiler.Mark("policy update");
            Times?.AddSince(RunTimes.AugmenterUpdates, start);
        }
        _step++;
        return _plain.Run(PreparedData.ToUnit(augmented, unitImages.device), labels, lr);
    }

    private void Update(Tensor bytes, Tensor augmented, SlotDraw draw, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var model = _context.Model;
        var weights = model.Weights.Cast<Tensor>().ToList();
        var n = bytes.shape[0];
        int samples = _options.Samples;

        // The extra draws of the same images come after the training draw.
        var images = augmented;
        var all = draw;
        if (samples > 1)
        {
            var extra = Policy.Sample(n * (samples - 1), _generator);
            images = cat([augmented, extra.Apply(bytes.repeat(samples - 1, 1, 1, 1), Policy.Space)], 0);
            all = new SlotDraw(cat([draw.Operations, extra.Operations], 1), cat([draw.Bins, extra.Bins], 1),
                cat([draw.Negate, extra.Negate], 1), cat([draw.Positions, extra.Positions], 1));
        }
        var (xv, yv) = ValidationBatch();
        var v = DirectionalReward.ValidationGradient(model, weights, _context.Normalize(xv), yv);
        var inputs = _context.Normalize(PreparedData.ToUnit(images, _context.Device));
        var rewards = DirectionalReward.Estimate(model, weights, v, inputs, labels.repeat(samples));
        _learner.Learn(rewards, all, samples);
    }

    // PolicyValImages validation images (at most the whole split), from the run's validation stream (checkpointed by the trainer).
    private (Tensor Images, Tensor Labels) ValidationBatch()
    {
        // Capped at the split (the method warns when it is): a larger value would cycle it into one huge batch.
        long wanted = Math.Min(_options.ValImages, _context.ValidationStream.Count);
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        for (long have = 0; have < wanted;)
        {
            var (x, y) = _context.ValidationStream.Next();
            images.Add(x);
            labels.Add(y);
            have += x.shape[0];
        }
        var count = Math.Min(wanted, images.Sum(x => x.shape[0]));
        return (PreparedData.ToUnit(cat(images, 0).narrow(0, 0, count), _context.Device), cat(labels, 0).narrow(0, 0, count).to(_context.Device));
    }

    /// <inheritdoc />
    public override Tensor Preview(Tensor unitImages)
    {
        using var scope = NewDisposeScope();
        // A private generator keeps the preview out of the training stream.
        using var generator = new Generator(4242, CPU);
        using var draw = Policy.Sample(unitImages.shape[0], generator);
        return PreparedData.ToUnit(draw.Apply(PreparedData.ToBytes(unitImages), Policy.Space), unitImages.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override EpochMetrics CompleteEpoch(EpochMetrics metrics) => metrics with { Policy = _learner.CompleteEpoch() };

    /// <inheritdoc />
    public override void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_step);
        _learner.Save(writer);
        using var s = _generator.get_state();
        s.Save(writer);
    }

    /// <inheritdoc />
    public override void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _step = reader.ReadInt64();
        _learner.Load(reader);
        using var s = TensorExtensionMethods.Load(reader);
        _generator.set_state(s);
    }

    /// <inheritdoc />
    public override void SaveArtifacts(RunDirectory run)
    {
        ArgumentNullException.ThrowIfNull(run);
        PolicyFile.Write(Policy, run.PolicyFile, _context.Data.Channels);
        PolicyExport.WritePolicyText(Policy, run, _fixedText);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _plain.Dispose();
            _learner.Dispose();
            Policy.Dispose();
            _generator.Dispose();
        }
    }
}
