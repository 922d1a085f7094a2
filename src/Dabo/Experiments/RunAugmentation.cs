using Dabo.Augmentation;
using Dabo.Augmentation.Learned;
using Dabo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments;

/// <summary>
/// The augmentation a finished (or any) run trained with, rebuilt for use outside training:
/// previews and test-time augmentation. Works on [0, 1] float images.
/// </summary>
public sealed class RunAugmentation : IDisposable
{
    private readonly IFixedAugmentation? _fixed;
    private readonly Augmenter? _learned;
    private readonly Generator _generator;

    private RunAugmentation(IFixedAugmentation? fixedAugmentation, Augmenter? learned, long seed)
    {
        _fixed = fixedAugmentation;
        _learned = learned;
        _generator = new Generator((ulong)seed);
    }

    /// <summary>True when the run uses no augmentation at all.</summary>
    public bool IsIdentity => _fixed is null && _learned is null;

    /// <summary>Rebuilds the augmentation of <paramref name="config"/> (a learned augmenter is read from <paramref name="run"/>'s <c>augmenter.bin</c>).</summary>
    public static RunAugmentation For(TrainingConfig config, RunDirectory? run, int channels, long seed = 12345)
    {
        var plan = MethodPlan.Parse(config.Augment);
        var fixedAugmentation = plan.CreateFixed(channels, config.Flip);
        Augmenter? learned = null;
        if (plan.Learned is string l)
        {
            var source = l.StartsWith("learned:", StringComparison.Ordinal) ? new RunDirectory(l["learned:".Length..]) : run
                ?? throw new DaboException($"--augment {config.Augment}: a learned augmenter needs the run directory that trained it");
            learned = LearnedAugmentation.LoadAugmenter(source, channels, seed);
            learned.eval();
        }
        return new RunAugmentation(fixedAugmentation, learned, seed);
    }

    /// <summary>Augments [0, 1] images (no gradient); the result is in the caller's dispose scope.</summary>
    public Tensor Apply(Tensor unitImages)
    {
        using var noGrad = no_grad();
        var x = unitImages;
        if (_fixed is not null)
        {
            using var scope = NewDisposeScope();
            var bytes = x.mul(255).round_().clamp_(0, 255).to_type(ScalarType.Byte).cpu();
            x = _fixed.Apply(bytes, _generator).to(unitImages.device).to_type(unitImages.dtype).div_(255).MoveToOuterDisposeScope();
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
