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
    private MethodPlan(string method, MethodSpec spec)
    {
        Method = method;
        Spec = spec;
    }

    /// <summary>The method as given.</summary>
    public string Method { get; }

    /// <summary>The parsed method.</summary>
    public MethodSpec Spec { get; }

    /// <summary>Fixed part (e.g. <c>standard</c>), or null.</summary>
    public string? Fixed => Spec.FixedText;

    /// <summary>Learned part (e.g. <c>learned-affine</c>, <c>learned:runs/a</c>), or null.</summary>
    public string? Learned => Spec.Learned?.Text;

    /// <summary>
    /// Parses a method string and checks it: fixed augmentations are built once (arguments, policy files),
    /// a transferred augmenter's file is read.
    /// </summary>
    public static MethodPlan Parse(string method)
    {
        var spec = MethodSpec.Parse(method);
        if (spec.FixedText is { } fixedText)
        {
            FixedAugmentationParser.Parse(fixedText, 3); // throws on bad arguments
        }
        if (spec.Learned is { } learned)
        {
            LearnedAugmentation.Validate(learned);
        }
        return new MethodPlan(method, spec);
    }

    /// <summary>The fixed augmentation for images of <paramref name="channels"/> channels, or null for none.</summary>
    public IFixedAugmentation? CreateFixed(int channels, bool allowFlip) =>
        Fixed is null or "none" ? null : FixedAugmentationParser.Parse(Fixed, channels, allowFlip);

    /// <summary>The training step: plain, frozen-augmenter or bilevel.</summary>
    public TrainingStep CreateStep(StepContext context) => TrainingSteps.Create(Spec, context);
}
