using Dabo.Augmentation.Learned;

namespace Dabo.Methods;

/// <summary>What a finished learned run left for use after training: its augmenter (owned: dispose it) or its policy file.</summary>
/// <param name="Augmenter">The trained (or transferred) augmenter, in eval mode, or null.</param>
/// <param name="PolicyFile">The learned policy's <c>policy.json</c>, or null.</param>
public sealed record LearnedArtifacts(Augmenter? Augmenter, string? PolicyFile) : IDisposable
{
    /// <summary>A fixed augmentation the run chose and trained with (<c>auto</c>), e.g. <c>randaugment:1:5</c>; null for none.</summary>
    public string? FixedText { get; init; }

    /// <summary>Nothing learned.</summary>
    public static LearnedArtifacts Empty => new(null, null);

    /// <inheritdoc />
    public void Dispose() => Augmenter?.Dispose();
}
