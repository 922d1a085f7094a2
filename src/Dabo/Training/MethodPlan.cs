using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;

namespace Dabo.Training;

/// <summary>
/// An <c>--augment</c> method resolved into what the trainer runs: fixed augmentations on the
/// uint8 batch first, then optionally a learned augmenter (trained by the bilevel step, or
/// frozen when transferred from another run with <c>learned:RUN_DIR</c>).
/// </summary>
public sealed class MethodPlan
{
    private MethodPlan(string method, string? fixedPart, string? learnedPart)
    {
        Method = method;
        Fixed = fixedPart;
        Learned = learnedPart;
    }

    /// <summary>The method as given.</summary>
    public string Method { get; }

    /// <summary>Fixed part (e.g. <c>standard</c>), or null.</summary>
    public string? Fixed { get; }

    /// <summary>Learned part (e.g. <c>learned-affine</c>, <c>learned:runs/a</c>), or null.</summary>
    public string? Learned { get; }

    /// <summary>Splits and checks a method string (fixed names are checked against the registry).</summary>
    public static MethodPlan Parse(string method)
    {
        if (string.IsNullOrWhiteSpace(method))
        {
            throw new DaboException("--augment: empty method; use e.g. none, standard, trivialaugment or learned-affine");
        }
        var split = FixedAugmentationParser.Split(method);
        if (split.Fixed is not null)
        {
            FixedAugmentationParser.Parse(split.Fixed, 3); // throws on unknown names
        }
        if (split.Learned is not null)
        {
            LearnedAugmentation.Validate(split.Learned);
        }
        return new MethodPlan(method, split.Fixed, split.Learned);
    }

    /// <summary>The fixed augmentation for images of <paramref name="channels"/> channels, or null for none.</summary>
    public IFixedAugmentation? CreateFixed(int channels, bool allowFlip) =>
        Fixed is null or "none" ? null : FixedAugmentationParser.Parse(Fixed, channels, allowFlip);

    /// <summary>The training step: plain, frozen-augmenter or bilevel.</summary>
    public TrainingStep CreateStep(StepContext context) =>
        Learned is null
            ? new PlainStep(context.Model, context.Optimizer, context.Normalize)
            : LearnedAugmentation.CreateStep(Learned, context);
}
