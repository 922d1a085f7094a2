using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// The reference's noise-conditioned MLP (<see cref="AugmenterParametrization.Mlp"/>):
/// <c>z → Linear → ReLU → Linear → ReLU → Linear → tanh</c>, then
/// <c>value = identity + maxRange · tanh(·)</c> per parameter. Unlike the reference, the outputs
/// are bounded and interpretable, there is no dropout by default, and the output layer starts
/// near zero so the first augmentations are almost the identity.
/// </summary>
public sealed class MlpAugmenter : Augmenter
{
    private readonly Sequential _mlp;

    /// <summary>Creates the augmenter; weights are initialized from <see cref="AugmenterOptions.Seed"/>.</summary>
    /// <param name="kind">Registry name.</param>
    /// <param name="channels">Image channels.</param>
    /// <param name="specs">The learned parameters (the output size).</param>
    /// <param name="noiseSize">Noise size nz (the input size).</param>
    /// <param name="hidden">Widths of the two hidden layers (the reference: nz and 10·nz).</param>
    /// <param name="options">Options.</param>
    public MlpAugmenter(string kind, int channels, IReadOnlyList<ParameterSpec> specs, int noiseSize, IReadOnlyList<int> hidden, AugmenterOptions options)
        : base(kind, channels, specs, noiseSize, options)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var widths = new List<int> { noiseSize };
        widths.AddRange(hidden);
        var linears = new List<Linear>();
        for (int i = 0; i < hidden.Count; i++)
        {
            var linear = nn.Linear(widths[i], widths[i + 1]);
            linears.Add(linear);
            layers.Add(($"fc{i + 1}", linear));
            layers.Add(($"relu{i + 1}", nn.ReLU()));
            if (options.Dropout > 0)
            {
                layers.Add(($"dropout{i + 1}", nn.Dropout(options.Dropout)));
            }
        }
        var output = nn.Linear(widths[^1], specs.Count);
        layers.Add(("out", output));
        _mlp = nn.Sequential(layers);
        register_module("mlp", _mlp);

        // Seeded initialization (PyTorch's default U(±1/√fan_in) for hidden layers) so an augmenter
        // is reproducible from its options alone; the output layer is near zero (identity at start).
        // Drawn with rand + copy_ because nn.init.uniform_ ignores its generator in TorchSharp 0.107.
        using var generator = new Generator(unchecked((ulong)SeedStreams.MlpInitialization(options.Seed)), CPU);
        foreach (var linear in linears)
        {
            double bound = 1.0 / Math.Sqrt(linear.weight!.shape[1]);
            FillUniform(linear.weight, bound, generator);
            FillUniform(linear.bias!, bound, generator);
        }
        FillUniform(output.weight!, options.InitialOutputScale, generator);
        FillUniform(output.bias!, 0, generator);
    }

    private static void FillUniform(Tensor parameter, double bound, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        parameter.copy_(rand(parameter.shape, generator: generator) * (2 * bound) - bound);
    }

    /// <inheritdoc />
    public override Tensor GenerateParameters(Tensor noise)
    {
        using var scope = NewDisposeScope();
        var like = parameters().First();
        var bounded = _mlp.forward(noise.to(like.dtype, like.device)).tanh();
        return (IdentityVector(bounded) + RangeVector(bounded) * bounded).MoveToOuterDisposeScope();
    }
}
