namespace Dabo.Augmentation.Learned;

/// <summary>How an augmenter turns its noise into per-image transformation parameters.</summary>
public enum AugmenterParametrization
{
    /// <summary>
    /// The reference's noise-conditioned MLP: <c>value = identity + maxRange · tanh(MLP(z))</c>, with a
    /// near-zero output layer so the first augmentations are almost the identity. Its diversity
    /// comes only from the MLP's dependence on z and can collapse (see DESIGN §5).
    /// </summary>
    Mlp,

    /// <summary>
    /// Learned ranges with reparameterized uniform noise: <c>value = identity + maxRange · (c + a · u)</c>,
    /// <c>u ~ U(−1, 1)</c>, centre <c>c = tanh(γ)</c> and half-width <c>a = (1 − |c|) · sigmoid(ρ)</c>
    /// (so values never leave <c>identity ± maxRange</c>). The half-width starts at
    /// <see cref="AugmenterOptions.InitialSpread"/>, not zero, and shrinks only if the gradient pushes ρ down.
    /// </summary>
    Ranges,
}
