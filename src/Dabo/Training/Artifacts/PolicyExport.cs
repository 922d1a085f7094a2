using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.IO;
using Dabo.Training.Runs;

namespace Dabo.Training.Artifacts;

/// <summary>
/// What a learned run leaves for use outside Dabo, written when it finishes: <c>policy.json</c>
/// (the learned ranges of an augmenter, <see cref="RangesFile"/>; a learned policy writes its own,
/// <see cref="PolicyFile"/>) and <c>torchvision.txt</c> (<see cref="TorchvisionText"/>), both atomic.
/// </summary>
public static class PolicyExport
{
    /// <summary>Writes the ranges of <paramref name="augmenter"/> and their torchvision text into <paramref name="run"/>.</summary>
    /// <param name="augmenter">The trained (or frozen) augmenter.</param>
    /// <param name="run">The run directory.</param>
    /// <param name="fixedText">The method's fixed part, named in the text (null for none).</param>
    /// <returns>The ranges written.</returns>
    public static LearnedRanges WriteRanges(Augmenter augmenter, RunDirectory run, string? fixedText)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ranges = LearnedRanges.Of(augmenter);
        RangesFile.Write(ranges, run.PolicyFile);
        AtomicFile.WriteAllText(run.File(TorchvisionText.FileName), TorchvisionText.For(ranges, "policy.json", fixedText));
        return ranges;
    }

    /// <summary>Writes the torchvision text of a learned policy into <paramref name="run"/>.</summary>
    /// <param name="policy">The learned policy.</param>
    /// <param name="run">The run directory.</param>
    /// <param name="fixedText">The method's fixed part, named in the text (null for none).</param>
    public static void WritePolicyText(PolicyDistribution policy, RunDirectory run, string? fixedText)
    {
        ArgumentNullException.ThrowIfNull(run);
        AtomicFile.WriteAllText(run.File(TorchvisionText.FileName), TorchvisionText.For(policy, "policy.json", fixedText));
    }
}
