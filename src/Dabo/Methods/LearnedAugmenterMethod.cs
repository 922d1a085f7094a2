using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using Dabo.Training;
using Dabo.Training.Artifacts;
using Dabo.Training.Bilevel;
using Dabo.Training.Runs;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>
/// <c>learned-affine</c>, <c>learned-color</c>…: the paper's differentiable augmenter, trained by the bilevel step on
/// the hypergradient of the validation loss (<see cref="BilevelOptions"/>). Its run leaves <c>augmenter.bin</c>,
/// <c>policy.json</c> (the learned ranges) and <c>torchvision.txt</c>.
/// </summary>
public sealed class LearnedAugmenterKind : MethodKind
{
    /// <inheritdoc />
    public override string Name => "learned augmenter";

    /// <inheritdoc />
    public override IReadOnlyList<string> Syntaxes => AugmenterFactory.Names;

    /// <inheritdoc />
    public override bool TryParse(string text, out object? arguments)
    {
        arguments = text;
        return AugmenterFactory.Names.Contains(text);
    }

    /// <inheritdoc />
    public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new LearnedAugmenterMethod(fixedParts, text, config.Bilevel);
    }
}

/// <summary>A learned augmenter after optional fixed augmentations, with its bilevel options.</summary>
/// <param name="fixedParts">Fixed augmentations first.</param>
/// <param name="augmenter">The augmenter's registry name (<see cref="AugmenterFactory.Names"/>).</param>
/// <param name="options">The bilevel step's options.</param>
public sealed class LearnedAugmenterMethod(IReadOnlyList<FixedPart> fixedParts, string augmenter, BilevelOptions options) : TrainingMethod(fixedParts, augmenter)
{
    /// <summary>The augmenter's registry name.</summary>
    public string Augmenter { get; } = augmenter;

    /// <summary>The bilevel step's options.</summary>
    public BilevelOptions Options => options;

    /// <inheritdoc />
    public override bool NeedsFunctionalForward => options.Hypergrad == HypergradMethod.Exact;

    /// <inheritdoc />
    public override TrainingStep CreateStep(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var learned = AugmenterFactory.Create(Augmenter, context.Data.Channels, options.Augmenter(context.Seeds.Augmenter));
        return new BilevelStep(context, learned, options, FixedText);
    }

    /// <inheritdoc />
    public override LearnedArtifacts LoadArtifacts(RunDirectory? run, int channels, long seed)
    {
        if (run is null)
        {
            throw new DaboException($"--augment {Text}: a learned augmenter needs the run directory that trained it");
        }
        var loaded = LearnedAugmentation.LoadAugmenter(run, channels, seed);
        loaded.eval();
        return new LearnedArtifacts(loaded, null);
    }
}
