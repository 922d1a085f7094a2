using Dabo.Augmentation.Fixed;
using Dabo.Training;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>
/// <c>learned:RUN_DIR</c>: the augmenter a finished learned-augmenter run saved, loaded and kept frozen while a new
/// classifier trains (no bilevel cost): the transfer of a learned augmentation. Its run writes the frozen
/// augmenter's ranges (<c>policy.json</c>, <c>torchvision.txt</c>) but not the augmenter, which stays in RUN_DIR.
/// </summary>
public sealed class TransferKind : MethodKind
{
    /// <summary>Prefix of a transferred augmenter.</summary>
    public const string Prefix = "learned:";

    /// <inheritdoc />
    public override string Name => "learned:RUN_DIR";

    /// <inheritdoc />
    public override IReadOnlyList<string> Syntaxes => [Prefix + "RUN_DIR"];

    /// <inheritdoc />
    public override bool TryParse(string text, out object? arguments)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool mine = text.StartsWith(Prefix, StringComparison.Ordinal);
        arguments = mine ? text[Prefix.Length..] : null;
        return mine;
    }

    /// <inheritdoc />
    public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config) =>
        new TransferMethod(fixedParts, (string)arguments!);
}

/// <summary>A frozen augmenter from another run, after optional fixed augmentations.</summary>
/// <param name="fixedParts">Fixed augmentations first.</param>
/// <param name="directory">The run directory that trained the augmenter.</param>
public sealed class TransferMethod(IReadOnlyList<FixedPart> fixedParts, string directory) : TrainingMethod(fixedParts, TransferKind.Prefix + directory)
{
    /// <summary>The run directory that trained the augmenter.</summary>
    public string Directory => directory;

    /// <inheritdoc />
    public override void Check()
    {
        base.Check();
        LearnedAugmentation.CheckFile(TransferKind.Prefix + directory, directory);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> CheckData(int channels, int validationImages, int trainImages)
    {
        var warnings = base.CheckData(channels, validationImages, trainImages);
        using var augmenter = LearnedAugmentation.LoadAugmenter(new RunDirectory(directory), channels, 0);
        return warnings;
    }

    /// <inheritdoc />
    public override TrainingStep CreateStep(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var augmenter = LearnedAugmentation.LoadAugmenter(new RunDirectory(directory), context.Data.Channels, context.Seeds.Augmenter);
        return FrozenAugmenterStep.Create(context, augmenter, FixedText);
    }

    /// <inheritdoc />
    public override LearnedArtifacts LoadArtifacts(RunDirectory? run, int channels, long seed)
    {
        // A transfer run trains with another run's augmenter, which it does not copy.
        var augmenter = LearnedAugmentation.LoadAugmenter(new RunDirectory(directory), channels, seed);
        augmenter.eval();
        return new LearnedArtifacts(augmenter, null);
    }
}
