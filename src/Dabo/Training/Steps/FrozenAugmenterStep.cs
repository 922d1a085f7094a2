using Dabo.Augmentation.Learned;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Steps;

/// <summary>
/// A plain step on images that a frozen learned augmenter (no gradient, eval mode) transforms
/// first: the transfer of a finished run's augmenter (<c>learned:RUN_DIR</c>), and the speed
/// benchmark's plain step. The step owns the augmenter and checkpoints its noise generator.
/// </summary>
internal sealed class FrozenAugmenterStep(PlainStep inner, Augmenter augmenter, string? fixedText) : TrainingStep
{
    /// <summary>A plain step behind <paramref name="augmenter"/>, frozen (eval mode, no gradient); the step owns it.</summary>
    /// <param name="context">The run.</param>
    /// <param name="augmenter">The augmenter to freeze.</param>
    /// <param name="fixedText">The method's fixed part, named in the exported <c>torchvision.txt</c>; null for none.</param>
    public static TrainingStep Create(StepContext context, Augmenter augmenter, string? fixedText)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(augmenter);
        augmenter.to(context.Device);
        augmenter.eval();
        foreach (var p in augmenter.parameters())
        {
            p.requires_grad_(false);
        }
        return new FrozenAugmenterStep(new PlainStep(context.Model, context.Optimizer, context.Normalize, x => augmenter.Augment(x).Images), augmenter, fixedText);
    }

    // The frozen augmenter's ranges, like a learning run's (its augmenter.bin stays in the source run).
    public override void SaveArtifacts(RunDirectory run) => PolicyExport.WriteRanges(augmenter, run, fixedText);

    public override (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr) => inner.Run(unitImages, labels, lr);

    public override Tensor Preview(Tensor unitImages) => inner.Preview(unitImages);

    public override EpochMetrics CompleteEpoch(EpochMetrics metrics) => metrics with { Augmenter = augmenter.Describe() };

    public override void Save(BinaryWriter writer)
    {
        using var state = augmenter.GetGeneratorState();
        state.Save(writer);
    }

    public override void Load(BinaryReader reader)
    {
        using var state = TorchSharp.TensorExtensionMethods.Load(reader);
        augmenter.SetGeneratorState(state);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            augmenter.Dispose();
        }
    }
}
