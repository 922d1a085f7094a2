using Dabo.Augmentation;
using Dabo.Augmentation.Fixed;
using Dabo.Training;
using Dabo.Training.Runs;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>
/// A method of the method language resolved into what trains: fixed augmentations on the uint8 batch first, then
/// the kind's learned part, if any. Each kind derives from this class and owns its options, its checks, the step
/// it trains with and how the artifacts its run leaves are loaded back. Nothing after the run specification reads
/// the method's text.
/// </summary>
public abstract class TrainingMethod
{
    /// <summary>Creates a method of the given parts.</summary>
    /// <param name="fixedParts">Its fixed augmentations, in order.</param>
    /// <param name="learnedText">Its learned part as written, or null.</param>
    protected TrainingMethod(IReadOnlyList<FixedPart> fixedParts, string? learnedText)
    {
        ArgumentNullException.ThrowIfNull(fixedParts);
        Fixed = fixedParts;
        Text = string.Join('+', fixedParts.Select(f => f.ToString()).Concat(learnedText is null ? [] : [learnedText]));
    }

    /// <summary>The method as text, e.g. <c>standard+learned-policy:1</c>.</summary>
    public string Text { get; }

    /// <summary>The fixed augmentations in order (empty when the method is only learned).</summary>
    public IReadOnlyList<FixedPart> Fixed { get; }

    /// <summary>The fixed part as text (e.g. <c>standard+trivialaugment</c>), or null when there is none.</summary>
    public string? FixedText => Fixed.Count == 0 ? null : string.Join('+', Fixed);

    /// <summary>Whether the method has a learned part (it needs more memory, and its clean training images are evaluated).</summary>
    public virtual bool IsLearned => true;

    /// <summary>Whether the method needs a validation split of the run's own images (a learned part's signal); a method without it trains on every labelled image in the benchmark suite's user protocol.</summary>
    public virtual bool NeedsValidationSplit => IsLearned;

    /// <summary>
    /// For a method that chooses another one before training (<c>auto</c>): trains what it needs to choose, through
    /// <paramref name="train"/> (a configuration and a directory inside the run), and returns the chosen method's text;
    /// null for every other method. Resumable: a finished sub-run is reused, an interrupted one resumes.
    /// </summary>
    /// <param name="config">The run's configuration.</param>
    /// <param name="run">The run directory, where the choice and its sub-runs are kept.</param>
    /// <param name="train">Trains one sub-run and returns its directory.</param>
    public virtual string? Choose(TrainingConfig config, RunDirectory run, Func<TrainingConfig, string, RunDirectory> train) => null;

    /// <summary>Whether the method chooses another one before training (<see cref="Choose"/>).</summary>
    public virtual bool Chooses => false;

    /// <summary>Whether the method needs the exact second-order forward of a Dabo model (refused with a custom module).</summary>
    public virtual bool NeedsFunctionalForward => false;

    /// <summary>The fixed augmentation for images of <paramref name="channels"/> channels, or null for none.</summary>
    public IFixedAugmentation? CreateFixed(int channels, bool allowFlip) =>
        FixedText is null or "none" ? null : FixedAugmentationParser.Parse(FixedText, channels, allowFlip);

    /// <summary>Checks what can be checked before any data is read: fixed arguments and policy files, the files a learned part needs.</summary>
    /// <exception cref="DaboException">Bad arguments or unreadable files, naming the fix.</exception>
    public virtual void Check()
    {
        if (FixedText is { } fixedText)
        {
            FixedAugmentationParser.Parse(fixedText, 3); // throws on bad arguments
        }
    }

    /// <summary>Checks the method against the run's data (e.g. channels); returns warnings for the user.</summary>
    /// <param name="channels">Channels of the run's images.</param>
    /// <param name="validationImages">Images of the validation split (0: none).</param>
    /// <param name="trainImages">Images of the training split.</param>
    /// <exception cref="DaboException">Data the method cannot train on.</exception>
    public virtual IReadOnlyList<string> CheckData(int channels, int validationImages, int trainImages)
    {
        CreateFixed(channels, allowFlip: true);
        return [];
    }

    /// <summary>The training step of a run (its fixed part runs before, on the uint8 batch).</summary>
    /// <param name="context">The run's model, optimizer, data and seeds.</param>
    public abstract TrainingStep CreateStep(StepContext context);

    /// <summary>
    /// The learned augmentation a finished run of this method left (its augmenter, or its policy file), for previews,
    /// test-time augmentation and the typed API; empty for a method without a learned part.
    /// </summary>
    /// <param name="run">The run directory, or null when there is none (then only a transferred augmenter loads).</param>
    /// <param name="channels">Channels of the images it will augment.</param>
    /// <param name="seed">Seed of a loaded augmenter's noise.</param>
    /// <exception cref="DaboException">The run lacks the file its method writes.</exception>
    public virtual LearnedArtifacts LoadArtifacts(RunDirectory? run, int channels, long seed) => LearnedArtifacts.Empty;

    /// <inheritdoc />
    public override string ToString() => Text;
}
