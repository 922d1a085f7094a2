using Dabo.Augmentation.Learned;

namespace Dabo.Training.Bilevel;

/// <summary>
/// The options of a learned augmenter trained by the bilevel step: each declared once here with its default, its
/// accepted range (<see cref="Numeric"/>) and its help text, read by the command line, the config file and the step.
/// </summary>
public sealed record BilevelOptions
{
    /// <summary>The defaults.</summary>
    public static BilevelOptions Default { get; } = new();

    /// <summary>Help of <c>--inner-steps</c>.</summary>
    public const string InnerStepsHelp = "Learned augmentation: look-ahead steps K of the truncated hypergradient (default 1).";

    /// <summary>Help of <c>--hypergrad</c>.</summary>
    public const string HypergradHelp = "Learned augmentation: exact (default), fd (forward difference of first-order gradients, no second-order graph, one extra forward/backward; K = 1) or fd-central (two extra, more accurate).";

    /// <summary>Help of <c>--augmenter-lr</c>.</summary>
    public const string AugmenterLrHelp = "Learned augmentation: augmenter SGD learning rate (default 0.2).";

    /// <summary>Help of <c>--augmenter-momentum</c>.</summary>
    public const string AugmenterMomentumHelp = "Learned augmentation: augmenter SGD momentum (default 0.9).";

    /// <summary>Help of <c>--augmenter-weight-decay</c>.</summary>
    public const string AugmenterWeightDecayHelp = "Learned augmentation: augmenter weight decay (default 0.01).";

    /// <summary>Help of <c>--augmenter-kind</c>.</summary>
    public const string AugmenterKindHelp = "Learned augmentation: ranges (default; learned per-parameter ranges with uniform noise) or mlp (the paper's noise-conditioned MLP).";

    /// <summary>Help of <c>--apply-probability</c>.</summary>
    public const string ApplyProbabilityHelp = "Learned augmentation: share of images the augmenter transforms; the rest pass untouched (default 0.5).";

    /// <summary>Inner steps K of the truncated look-ahead.</summary>
    public int InnerSteps { get; init; } = 1;

    /// <summary>How the hypergradient is estimated: exact, forward or central difference.</summary>
    public HypergradMethod Hypergrad { get; init; } = HypergradMethod.Exact;

    /// <summary>The augmenter's SGD learning rate.</summary>
    public double AugmenterLr { get; init; } = 0.2;

    /// <summary>The augmenter's SGD momentum.</summary>
    public double AugmenterMomentum { get; init; } = 0.9;

    /// <summary>The augmenter's weight decay.</summary>
    public double AugmenterWeightDecay { get; init; } = 0.01;

    /// <summary>The augmenter's parametrization, ranges or MLP.</summary>
    public AugmenterParametrization AugmenterKind { get; init; } = AugmenterParametrization.Ranges;

    /// <summary>
    /// Share of images the augmenter transforms; the rest pass through untouched, so the classifier also sees images
    /// without resampling blur (0.5: lower final validation loss than 1.0 on Fashion-MNIST, see docs/results.md).
    /// </summary>
    public double ApplyProbability { get; init; } = 0.5;

    /// <summary>The accepted values of K (<c>--inner-steps</c>), for training and the speed benchmark alike.</summary>
    public static NumericRange InnerStepsRange { get; } = NumericRange.Whole("--inner-steps", 1, 100, "e.g. 1");

    /// <summary>The numeric options: flag, accepted range and how each is read.</summary>
    public static IReadOnlyList<OptionRange<BilevelOptions>> Numeric { get; } =
    [
        new(InnerStepsRange, o => o.InnerSteps),
        new(new("--augmenter-lr", 0, NumericRange.MaxLearningRate, Hint: "e.g. 0.2"), o => o.AugmenterLr),
        new(new("--augmenter-momentum", 0, 1, MaxExclusive: true, Hint: "e.g. 0.9"), o => o.AugmenterMomentum),
        new(new("--augmenter-weight-decay", 0, 1, Hint: "e.g. 0.01"), o => o.AugmenterWeightDecay),
        new(new("--apply-probability", 0, 1, Hint: "e.g. 0.5"), o => o.ApplyProbability),
    ];

    /// <summary>Checks every option against its range and the enums against their values; names the flag.</summary>
    public void Check()
    {
        OptionRange<BilevelOptions>.CheckAll(Numeric, this);
        OptionNames.CheckDefined(Hypergrad, "--hypergrad");
        OptionNames.CheckDefined(AugmenterKind, "--augmenter-kind");
    }

    /// <summary>The options of the augmenter itself: parametrization, share of images and the seed of its noise.</summary>
    /// <param name="seed">The augmenter's seed (<see cref="SeedStreams.Augmenter"/>).</param>
    public AugmenterOptions Augmenter(long seed) => new()
    {
        Parametrization = AugmenterKind,
        ApplyProbability = ApplyProbability,
        Seed = seed,
    };
}
