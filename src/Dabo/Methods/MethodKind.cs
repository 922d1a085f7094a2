using Dabo.Augmentation.Fixed;
using Dabo.Training;

namespace Dabo.Methods;

/// <summary>
/// One kind of learned part of the method language (a learned augmenter, a learned policy, a transferred augmenter…):
/// it recognizes its text, says which flags are its own and builds the <see cref="TrainingMethod"/> that trains, with its
/// options. A kind is one file and one line of <see cref="MethodRegistry.Kinds"/>.
/// </summary>
public abstract class MethodKind
{
    /// <summary>The kind's name, for messages (e.g. <c>learned-policy</c>).</summary>
    public abstract string Name { get; }

    /// <summary>How the kind is written, for help and errors (e.g. <c>learned-policy[:S][:wide|narrow]</c>).</summary>
    public abstract IReadOnlyList<string> Syntaxes { get; }

    /// <summary>The kind's options set with <c>--set KEY=VALUE</c>: declared here once, read in <see cref="Create"/> with <see cref="MethodOption.ReadFrom"/>.</summary>
    public virtual IReadOnlyList<MethodOption> Options => [];

    /// <summary>Flags that only this kind reads: given on the command line without a method of this kind, they are refused.</summary>
    public virtual IReadOnlyList<string> OwnFlags => [];

    /// <summary>
    /// Whether <paramref name="text"/> is written for this kind; if so, its parsed arguments (null when it takes none).
    /// Checks syntax only, never files.
    /// </summary>
    /// <exception cref="DaboException">The text names this kind with bad arguments.</exception>
    public abstract bool TryParse(string text, out object? arguments);

    /// <summary>Whether the text that gave <paramref name="arguments"/> names a control of this kind (e.g. <c>learned-policy-shuffled</c>), which reports leave out of the targets.</summary>
    /// <param name="arguments">What <see cref="TryParse"/> parsed.</param>
    public virtual bool IsControl(object? arguments) => false;

    /// <summary>The method to train: this kind's learned part after <paramref name="fixedParts"/>, with its options read from <paramref name="config"/>.</summary>
    /// <param name="fixedParts">The method's fixed augmentations, in order.</param>
    /// <param name="text">The learned part as written.</param>
    /// <param name="arguments">What <see cref="TryParse"/> parsed from it.</param>
    /// <param name="config">The run's configuration (the config.json shape the options come from).</param>
    public abstract TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config);
}
