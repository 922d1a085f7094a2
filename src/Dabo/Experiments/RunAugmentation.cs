using Dabo.Augmentation;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments;

/// <summary>
/// The augmentation a finished (or any) run trained with, rebuilt for use outside training:
/// previews and test-time augmentation. Works on [0, 1] float images. A learned policy
/// (<c>learned-policy[:S]</c>) is rebuilt as the fixed augmentation its run's <c>policy.json</c> describes.
/// </summary>
public sealed class RunAugmentation : IDisposable
{
    private readonly IReadOnlyList<IFixedAugmentation> _fixed;
    private readonly Augmenter? _learned;
    private readonly Generator _generator;

    private RunAugmentation(IReadOnlyList<IFixedAugmentation> fixedAugmentations, Augmenter? learned, long seed)
    {
        _fixed = fixedAugmentations;
        _learned = learned;
        _generator = new Generator((ulong)seed);
    }

    /// <summary>True when the run uses no augmentation at all.</summary>
    public bool IsIdentity => _fixed.Count == 0 && _learned is null;

    /// <summary>
    /// Rebuilds the augmentation of <paramref name="config"/>: a learned augmenter is read from
    /// <paramref name="run"/>'s <c>augmenter.bin</c>, a learned policy from its <c>policy.json</c>.
    /// </summary>
    /// <exception cref="DaboException">The learned part needs a run directory that lacks its file.</exception>
    public static RunAugmentation For(TrainingConfig config, RunDirectory? run, int channels, long seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plan = MethodPlan.Parse(config.Augment);
        var fixedAugmentations = new List<IFixedAugmentation>();
        if (plan.CreateFixed(channels, config.Flip) is { } fixedPart)
        {
            fixedAugmentations.Add(fixedPart);
        }
        Augmenter? learned = null;
        if (plan.Spec.Learned is { Policy: not null })
        {
            fixedAugmentations.Add(LearnedPolicy(config, run));
        }
        else if (plan.Spec.Learned is { } l)
        {
            var source = l.TransferDirectory is { } dir ? new RunDirectory(dir) : run
                ?? throw new DaboException($"--augment {config.Augment}: a learned augmenter needs the run directory that trained it");
            learned = LearnedAugmentation.LoadAugmenter(source, channels, seed);
            learned.eval();
        }
        return new RunAugmentation(fixedAugmentations, learned, seed);
    }

    // The policy a learned-policy run ended with, applied like policy:FILE (after the fixed part, as in training).
    private static FixedPolicy LearnedPolicy(TrainingConfig config, RunDirectory? run)
    {
        if (run is null)
        {
            throw new DaboException($"--augment {config.Augment}: a learned policy needs the run directory that learned it; pass --run DIR, or --augment policy:DIR/policy.json");
        }
        if (!File.Exists(run.PolicyFile))
        {
            throw new DaboException($"--run {run.Path}: no policy.json; a learned-policy run writes it when it finishes (resume the run to finish it)");
        }
        return new FixedPolicy(run.PolicyFile);
    }

    /// <summary>Augments [0, 1] images (no gradient); the result is in the caller's dispose scope.</summary>
    public Tensor Apply(Tensor unitImages)
    {
        using var noGrad = no_grad();
        var x = unitImages;
        if (_fixed.Count > 0)
        {
            using var scope = NewDisposeScope();
            var bytes = x.mul(255).round_().clamp_(0, 255).to_type(ScalarType.Byte).cpu();
            foreach (var augmentation in _fixed)
            {
                bytes = augmentation.Apply(bytes, _generator);
            }
            x = bytes.to(unitImages.device).to_type(unitImages.dtype).div_(255).MoveToOuterDisposeScope();
        }
        if (_learned is not null)
        {
            x = _learned.Augment(x).Images;
        }
        return x;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _learned?.Dispose();
        _generator.Dispose();
    }
}
