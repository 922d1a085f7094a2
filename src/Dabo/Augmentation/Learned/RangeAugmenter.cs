using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// Learned ranges with reparameterized uniform noise (<see cref="AugmenterParametrization.Ranges"/>):
/// per parameter, <c>value = identity + maxRange · (c + a · u)</c> with the image's own
/// <c>u ~ U(−1, 1)</c>, centre <c>c = tanh(γ)</c> and half-width <c>a = (1 − |c|) · sigmoid(ρ)</c>,
/// so values stay within <c>identity ± maxRange</c>. γ starts at 0 (centred on the identity) and ρ
/// at <c>logit(InitialSpread)</c>: the augmentation is random from the first step, and its
/// randomness disappears only if the hypergradient drives ρ down. The noise size is P (one
/// uniform per parameter).
/// </summary>
public sealed class RangeAugmenter : Augmenter
{
    private readonly Parameter _center;
    private readonly Parameter _spread;

    /// <summary>Creates the augmenter.</summary>
    /// <param name="kind">Registry name.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="specs">The learned parameters.</param>
    /// <param name="options">Options (<see cref="AugmenterOptions.InitialSpread"/> sets the starting half-width).</param>
    public RangeAugmenter(string kind, int channels, IReadOnlyList<ParameterSpec> specs, AugmenterOptions options)
        : base(kind, channels, specs, specs.Count, options)
    {
        double rho = Math.Log(options.InitialSpread / (1 - options.InitialSpread));
        _center = new Parameter(zeros(specs.Count), requires_grad: true);
        _spread = new Parameter(full(specs.Count, rho), requires_grad: true);
        register_parameter("center", _center);
        register_parameter("spread", _spread);
    }

    /// <summary>Current centre offsets c ∈ (−1, 1), as fractions of each maximal range (no gradient).</summary>
    public double[] Centers()
    {
        using var noGrad = no_grad();
        using var c = _center.tanh();
        return c.data<float>().Select(v => (double)v).ToArray();
    }

    /// <summary>Current half-widths a ∈ (0, 1), as fractions of each maximal range (no gradient).</summary>
    public double[] HalfWidths()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = (1 - _center.tanh().abs()) * _spread.sigmoid();
        return a.data<float>().Select(v => (double)v).ToArray();
    }

    /// <inheritdoc />
    public override Tensor GenerateParameters(Tensor noise)
    {
        using var scope = NewDisposeScope();
        var c = _center.tanh();
        var a = (1 - c.abs()) * _spread.sigmoid();
        var u = noise.to_type(ScalarType.Float32);
        return (IdentityVector() + RangeVector() * (c + a * u)).MoveToOuterDisposeScope();
    }
}
