using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Operations;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Learned;

/// <summary>
/// A learned augmenter <c>A(x, z; φ)</c>: maps a batch <c>[N, C, H, W]</c> in [0, 1] pixel space to
/// augmented images of the same shape and dtype, drawing its own per-image noise
/// <c>z ~ U(−1, 1)^nz</c> from a generator it owns. Differentiable with respect to its parameters φ.
/// </summary>
/// <remarks>
/// A call (1) draws a Bernoulli mask (share <see cref="AugmenterOptions.ApplyProbability"/>) and the
/// noise, (2) turns the noise into per-image parameters <c>[N, P]</c>
/// (<see cref="GenerateParameters"/>, the only learned part), (3) applies them with the pure
/// <see cref="Apply"/>: colour first (in <see cref="LearnedOperation.Order"/>: brightness, contrast,
/// saturation, hue), then the affine warp, so the padding keeps its colour; (4) leaves unmasked
/// images untouched. What each parameter does comes from the table of operations
/// (<see cref="OperationTable.Learned"/>).
/// </remarks>
public abstract class Augmenter : nn.Module<Tensor, Tensor>
{
    /// <summary>Seed offset of the private generator used by <see cref="Describe"/>.</summary>
    private const long DescribeSeedOffset = 0x5EED_D15C;

    private readonly Generator _generator;
    private readonly double[] _identity;
    private readonly double[] _range;

    /// <summary>The learned operation of each output column.</summary>
    private readonly LearnedOperation[] _operations;

    /// <summary>Creates the common part of an augmenter.</summary>
    /// <param name="kind">Registry name (e.g. <c>learned-affine</c>).</param>
    /// <param name="channels">Image channels (1 or 3).</param>
    /// <param name="specs">The learned parameters, in output order.</param>
    /// <param name="noiseSize">Size nz of the per-image noise.</param>
    /// <param name="options">Validated options.</param>
    protected Augmenter(string kind, int channels, IReadOnlyList<ParameterSpec> specs, int noiseSize, AugmenterOptions options)
        : base(kind)
    {
        options.Validate();
        if (specs.Select(s => s.Operation).Distinct().Count() != specs.Count)
        {
            throw new ArgumentException($"augmenter {kind}: each operation may be learned once, got {string.Join(", ", specs.Select(s => s.Name))}", nameof(specs));
        }
        var rgb = specs.Where(s => s.Operation.NeedsRgb).Select(s => s.Name).ToList();
        if (channels != 3 && rgb.Count > 0)
        {
            throw new DaboException($"augmenter {kind} changes {string.Join(" and ", rgb)}, which needs RGB images (3 channels), but the data has {channels}; use a geometric augmenter for grayscale data");
        }
        Kind = kind;
        Channels = channels;
        Specs = specs;
        NoiseSize = noiseSize;
        Options = options;
        _identity = specs.Select(s => s.Identity).ToArray();
        _range = specs.Select(s => s.MaxRange).ToArray();
        _operations = specs.Select(s => s.Learned).ToArray();
        _generator = new Generator(unchecked((ulong)options.Seed), CPU);
    }

    /// <summary>Registry name of this augmenter (e.g. <c>learned-affine</c>).</summary>
    public string Kind { get; }

    /// <summary>Image channels the augmenter was built for.</summary>
    public int Channels { get; }

    /// <summary>The learned parameters: the columns of <see cref="GenerateParameters"/>'s output.</summary>
    public IReadOnlyList<ParameterSpec> Specs { get; }

    /// <summary>Size nz of the per-image noise.</summary>
    public int NoiseSize { get; }

    /// <summary>The options the augmenter was built with.</summary>
    public AugmenterOptions Options { get; }

    /// <summary>
    /// Turns noise <c>[N, nz]</c> in [−1, 1] into per-image parameters <c>[N, P]</c> in the units of
    /// <see cref="Specs"/>, each within <c>Identity ± MaxRange</c>. Differentiable with respect to φ.
    /// </summary>
    /// <param name="noise">Noise <c>[N, nz]</c>.</param>
    public abstract Tensor GenerateParameters(Tensor noise);

    /// <summary>Draws the mask and the noise for <paramref name="count"/> images from the augmenter's generator.</summary>
    /// <param name="count">Number of images N.</param>
    public AugmenterDraw Draw(long count)
    {
        // Always both draws, in this order, so the noise stream does not depend on the probability.
        var mask = rand(count, generator: _generator) < Options.ApplyProbability;
        var noise = rand(new[] { count, NoiseSize }, generator: _generator) * 2.0 - 1.0;
        return new AugmenterDraw(mask, noise);
    }

    /// <summary>
    /// Applies given parameters to images (pure; differentiable with respect to both): colour
    /// adjustments first, then the affine warp with <see cref="AugmenterOptions.Padding"/>.
    /// </summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    /// <param name="parameters"><c>[N, P]</c> in the units of <see cref="Specs"/>.</param>
    public Tensor Apply(Tensor images, Tensor parameters)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(parameters);
        return LearnedTransform.Apply(images, _operations, parameters, Options.Padding);
    }

    /// <summary>Augments a batch with a given draw (deterministic given the draw).</summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1] with <see cref="Channels"/> channels.</param>
    /// <param name="draw">Mask and noise for these N images (from <see cref="Draw"/>).</param>
    public AugmentedBatch Augment(Tensor images, AugmenterDraw draw)
    {
        if (images.dim() != 4 || !is_floating_point(images))
        {
            throw new ArgumentException($"images must be float [N, C, H, W] in [0, 1], got {images.dtype} [{string.Join(", ", images.shape)}]", nameof(images));
        }
        if (images.shape[1] != Channels)
        {
            throw new DaboException($"augmenter {Kind} was built for {Channels} channel(s) but the batch has {images.shape[1]}");
        }
        if (draw.Noise.dim() != 2 || draw.Noise.shape[0] != images.shape[0] || draw.Noise.shape[1] != NoiseSize || draw.Mask.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"draw must hold [{images.shape[0]}] mask and [{images.shape[0]}, {NoiseSize}] noise", nameof(draw));
        }
        using var scope = NewDisposeScope();
        var parameters = GenerateParameters(draw.Noise);
        var augmented = Apply(images, parameters);
        // where() leaves the unmasked images bit-identical (no resampling blur) and passes them no gradient.
        var output = where(draw.Mask.view(-1, 1, 1, 1), augmented, images);
        return new AugmentedBatch(output.MoveToOuterDisposeScope(), parameters.MoveToOuterDisposeScope(), draw.Mask.alias().MoveToOuterDisposeScope());
    }

    /// <summary>Augments a batch with fresh randomness from the augmenter's generator.</summary>
    /// <param name="images">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    public AugmentedBatch Augment(Tensor images)
    {
        using var scope = NewDisposeScope();
        var draw = Draw(images.shape[0]);
        var result = Augment(images, draw);
        return new AugmentedBatch(result.Images.MoveToOuterDisposeScope(), result.Parameters.MoveToOuterDisposeScope(), result.Mask.MoveToOuterDisposeScope());
    }

    /// <summary>Augments a batch with fresh randomness; same as <c>Augment(images).Images</c>.</summary>
    /// <param name="input">Float images <c>[N, C, H, W]</c> in [0, 1].</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Augment(input).Images.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean and standard deviation of every learned parameter over <paramref name="samples"/> noise
    /// draws, without gradients. The noise comes from a private generator with a fixed seed, so
    /// successive calls are comparable and the training noise stream is not disturbed.
    /// </summary>
    /// <param name="samples">Number of noise draws (≥ 2).</param>
    public IReadOnlyList<ParameterStatistics> Describe(int samples = 1024)
    {
        if (samples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), "at least 2 samples are needed for a standard deviation");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(unchecked((ulong)(Options.Seed + DescribeSeedOffset)), CPU);
        var noise = rand(new long[] { samples, NoiseSize }, generator: generator) * 2.0 - 1.0;
        var parameters = GenerateParameters(noise).to_type(ScalarType.Float64);
        var mean = parameters.mean(new long[] { 0 }).data<double>().ToArray();
        var std = parameters.std(0).data<double>().ToArray();
        return Specs.Select((s, i) => new ParameterStatistics(s.Name, s.Unit, mean[i], std[i])).ToList();
    }

    /// <summary>State of the noise generator, for checkpoints.</summary>
    public Tensor GetGeneratorState() => _generator.get_state();

    /// <summary>Restores a state returned by <see cref="GetGeneratorState"/>.</summary>
    /// <param name="state">The saved state.</param>
    public void SetGeneratorState(Tensor state) => _generator.set_state(state);

    /// <summary>Identity values of <see cref="Specs"/> as a <c>[P]</c> tensor.</summary>
    /// <param name="like">A tensor whose dtype and device the vector takes.</param>
    protected Tensor IdentityVector(Tensor like) => tensor(_identity, dtype: like.dtype, device: like.device);

    /// <summary>Maximal ranges of <see cref="Specs"/> as a <c>[P]</c> tensor.</summary>
    /// <param name="like">A tensor whose dtype and device the vector takes.</param>
    protected Tensor RangeVector(Tensor like) => tensor(_range, dtype: like.dtype, device: like.device);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _generator.Dispose();
        }
        base.Dispose(disposing);
    }
}
