using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.Training;
using Dabo.Training.Runs;
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
    /// Rebuilds the augmentation of <paramref name="spec"/>'s method: a learned augmenter is read from
    /// <paramref name="run"/>'s <c>augmenter.bin</c>, a learned policy from its <c>policy.json</c>.
    /// </summary>
    /// <exception cref="DaboException">The learned part needs a run directory that lacks its file.</exception>
    public static RunAugmentation For(RunSpec spec, RunDirectory? run, int channels, long seed = 12345)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var method = spec.Method;
        var fixedAugmentations = new List<IFixedAugmentation>();
        if (method.CreateFixed(channels, spec.Config.Flip) is { } fixedPart)
        {
            fixedAugmentations.Add(fixedPart);
        }
        // A learned policy is applied like policy:FILE, after the fixed part, as in training.
        var artifacts = method.LoadArtifacts(run, channels, seed);
        if (artifacts.FixedText is { } chosen && chosen != "none")
        {
            fixedAugmentations.Add(FixedAugmentationParser.Parse(chosen, channels, spec.Config.Flip));
        }
        if (artifacts.PolicyFile is { } policyFile)
        {
            fixedAugmentations.Add(new FixedPolicy(policyFile));
        }
        return new RunAugmentation(fixedAugmentations, artifacts.Augmenter, seed);
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
