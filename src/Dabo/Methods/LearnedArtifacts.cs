using Dabo.Augmentation.Learned;

namespace Dabo.Methods;

/// <summary>What a finished learned run left for use after training: its augmenter (owned: dispose it) or its policy file.</summary>
/// <param name="Augmenter">The trained (or transferred) augmenter, in eval mode, or null.</param>
/// <param name="PolicyFile">The learned policy's <c>policy.json</c>, or null.</param>
public sealed record LearnedArtifacts(Augmenter? Augmenter, string? PolicyFile) : IDisposable
{
    /// <summary>Nothing learned.</summary>
    public static LearnedArtifacts Empty => new(null, null);

    /// <inheritdoc />
    public void Dispose() => Augmenter?.Dispose();
}
