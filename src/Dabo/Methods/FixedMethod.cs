using Dabo.Augmentation.Fixed;
using Dabo.Training;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>A method of fixed augmentations only (or <c>none</c>): the plain step on the augmented batch.</summary>
internal sealed class FixedMethod(IReadOnlyList<FixedPart> fixedParts) : TrainingMethod(fixedParts, null)
{
    /// <inheritdoc />
    public override bool IsLearned => false;

    /// <inheritdoc />
    public override TrainingStep CreateStep(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new PlainStep(context.Model, context.Optimizer, context.Normalize);
    }
}
