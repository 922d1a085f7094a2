using Dabo.Augmentation;
using Dabo.Augmentation.Learned;
using Dabo.Training.Bilevel;
using Dabo.Training.Policy;
using TorchSharp;

namespace Dabo.Training;

/// <summary>
/// The one factory of training steps, for the trainer and the speed benchmark alike: a plain step
/// (fixed augmentations only), a frozen learned augmenter, the bilevel step of a learned augmenter,
/// or the learned policy.
/// </summary>
public static class TrainingSteps
{
    /// <summary>The step a method trains with (its fixed part runs before, on the uint8 batch).</summary>
    /// <param name="method">The parsed method.</param>
    /// <param name="context">The run.</param>
    public static TrainingStep Create(MethodSpec method, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(context);
        if (method.Learned is not { } learned)
        {
            return new PlainStep(context.Model, context.Optimizer, context.Normalize);
        }
        if (learned.TransferDirectory is { } dir)
        {
            return Frozen(context, LearnedAugmentation.LoadAugmenter(new RunDirectory(dir), context.Data.Channels, (context.Config.Seed * 7919L) + 4));
        }
        if (learned.Policy is { } policy)
        {
            return new LearnedPolicyStep(context, policy, shuffle: learned.Kind == LearnedPartKind.ShuffledPolicy || context.Config.PolicyControl == PolicyControl.Shuffle);
        }
        var augmenter = AugmenterFactory.Create(learned.AugmenterName!, context.Data.Channels, LearnedAugmentation.OptionsFor(context.Config));
        return new BilevelStep(context, augmenter);
    }

    /// <summary>A plain step behind <paramref name="augmenter"/>, frozen (eval mode, no gradient); the step owns it.</summary>
    /// <param name="context">The run.</param>
    /// <param name="augmenter">The augmenter to freeze.</param>
    public static TrainingStep Frozen(StepContext context, Augmenter augmenter)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(augmenter);
        augmenter.to(context.Device);
        augmenter.eval();
        foreach (var p in augmenter.parameters())
        {
            p.requires_grad_(false);
        }
        return new FrozenAugmenterStep(new PlainStep(context.Model, context.Optimizer, context.Normalize, x => augmenter.Augment(x).Images), augmenter, context.Config);
    }
}
