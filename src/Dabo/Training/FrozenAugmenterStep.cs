using Dabo.Augmentation.Learned;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// A plain step on images that a frozen learned augmenter (no gradient, eval mode) transforms
/// first: the transfer of a finished run's augmenter (<c>learned:RUN_DIR</c>), and the speed
/// benchmark's plain step. The step owns the augmenter and checkpoints its noise generator.
/// </summary>
internal sealed class FrozenAugmenterStep(PlainStep inner, Augmenter augmenter, TrainingConfig config) : TrainingStep
{
    // The frozen augmenter's ranges, like a learning run's (its augmenter.bin stays in the source run).
    public override void SaveArtifacts(RunDirectory run) => PolicyExport.WriteRanges(augmenter, run, config);

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
