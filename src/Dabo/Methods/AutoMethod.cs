using Dabo.Augmentation.Fixed;
using Dabo.Training;
using Dabo.Training.Runs;
using Dabo.Training.Steps;

namespace Dabo.Methods;

/// <summary>
/// <c>auto</c>: chooses how much to augment for the data at hand, then trains on every labelled image. Short proxy runs
/// (a quarter of the epochs, each with its own full schedule) of no augmentation and of RandAugment at two strengths
/// train on 80 % of the labelled images; the strongest whose final validation loss is within a tolerance of the best
/// wins (short runs under-rate augmentation, whose benefit comes late), and the run then trains that method exactly as
/// the method alone would. Why final validation loss: at the end of a run it ranks augmentations as the test set does,
/// early in a run it does not (docs/results.md, "Is validation early in a run a guide to its end?").
/// </summary>
public sealed class AutoKind : MethodKind
{
    /// <summary>The method's name.</summary>
    public const string AutoName = "auto";

    /// <summary>Its control: the same proxies, then a candidate drawn at random (seeded by the run's seed) instead of chosen.</summary>
    public const string ShuffledName = "auto-shuffled";

    /// <summary>Share of the run's epochs each proxy trains.</summary>
    public static readonly MethodOption ProxyFraction = new("auto.proxy-fraction", 0.05, 1, 0.25, "share of the run's epochs each proxy run trains");

    /// <summary>How much higher than the best a stronger candidate's validation loss may be and still win.</summary>
    public static readonly MethodOption Tolerance = new("auto.tolerance", 0, 1, 0.10, "relative validation-loss margin within which the stronger augmentation wins");

    /// <summary>The candidates, weakest first.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["none", "randaugment:1:5", "randaugment:2:10"];

    /// <inheritdoc />
    public override string Name => AutoName;

    /// <inheritdoc />
    public override IReadOnlyList<string> Syntaxes => [AutoName, ShuffledName];

    /// <inheritdoc />
    public override IReadOnlyList<MethodOption> Options => [ProxyFraction, Tolerance];

    /// <inheritdoc />
    public override bool TryParse(string text, out object? arguments)
    {
        arguments = text == ShuffledName;
        return text is AutoName or ShuffledName;
    }

    /// <inheritdoc />
    public override bool IsControl(object? arguments) => arguments is true;

    /// <inheritdoc />
    public override TrainingMethod Create(IReadOnlyList<FixedPart> fixedParts, string text, object? arguments, TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(fixedParts);
        if (fixedParts.Count > 0)
        {
            throw new DaboException($"--augment {string.Join('+', fixedParts)}+{text}: {text} chooses the augmentation itself; write --augment {text} alone");
        }
        return new AutoMethod(ProxyFraction.ReadFrom(config), Tolerance.ReadFrom(config), shuffled: arguments is true);
    }
}

/// <summary>The <c>auto</c> method: a choice among <see cref="AutoKind.Candidates"/> made by proxy runs, kept in <c>selection.json</c>.</summary>
/// <param name="proxyFraction">Share of the run's epochs each proxy trains.</param>
/// <param name="tolerance">Relative validation-loss margin within which the stronger candidate wins.</param>
/// <param name="shuffled">The control: after the same proxies, a candidate drawn at random (seeded by the run's seed).</param>
public sealed class AutoMethod(double proxyFraction, double tolerance, bool shuffled = false) : TrainingMethod([], shuffled ? AutoKind.ShuffledName : AutoKind.AutoName)
{
    /// <summary>Whether this is the control that ignores the proxies' losses.</summary>
    public bool Shuffled => shuffled;

    /// <summary>Share of the run's epochs each proxy trains.</summary>
    public double ProxyFraction => proxyFraction;

    /// <summary>Relative validation-loss margin within which the stronger candidate wins.</summary>
    public double Tolerance => tolerance;

    /// <inheritdoc />
    public override bool IsLearned => false;

    /// <inheritdoc />
    public override bool NeedsValidationSplit => false;

    /// <inheritdoc />
    public override bool Chooses => true;

    /// <summary>The proxy of <paramref name="candidate"/>: a quarter of the epochs (by default), 80 % of the labelled images, test only at the end.</summary>
    public TrainingConfig ProxyConfig(TrainingConfig config, string candidate)
    {
        ArgumentNullException.ThrowIfNull(config);
        int epochs = Math.Max(1, (int)Math.Round(config.Epochs * proxyFraction));
        return config with
        {
            Augment = candidate,
            MethodOptions = null,
            ValRatio = config.ValRatio > 0 ? config.ValRatio : 0.2,
            TrainOnValidation = false,
            Epochs = epochs,
            WarmupEpochs = Math.Min(config.WarmupEpochs, epochs - 1),
            TestEvery = epochs,
        };
    }

    /// <inheritdoc />
    public override string? Choose(TrainingConfig config, RunDirectory run, Func<TrainingConfig, string, RunDirectory> train)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(train);
        if (AutoSelection.TryRead(run) is { } done)
        {
            // A selection made under other settings (e.g. an older default) must not pass for this run's.
            if (done.ProxyFraction != proxyFraction || done.Tolerance != tolerance)
            {
                throw new DaboException(FormattableString.Invariant($"{run.File(AutoSelection.FileName)}: chosen with auto.proxy-fraction={done.ProxyFraction} and auto.tolerance={done.Tolerance}, ")
                    + FormattableString.Invariant($"this run asks for {proxyFraction} and {tolerance}; delete {AutoSelection.FileName}, summary.json and final/ to choose again (the proxies are reused), or pass --set with the old values"));
            }
            return done.Chosen;
        }
        var proxies = new List<AutoSelection.Proxy>();
        foreach (var candidate in AutoKind.Candidates)
        {
            var proxyRun = train(ProxyConfig(config, candidate), Path.Combine(run.Path, "proxies", candidate.Replace(':', '_')));
            var last = proxyRun.LoadMetrics()[^1];
            proxies.Add(new AutoSelection.Proxy(candidate, last.ValLoss ?? double.NaN, last.ValAccuracy ?? double.NaN));
        }
        // The strongest candidate whose validation loss is within the tolerance of the best: proxies under-rate augmentation.
        double best = proxies.Min(p => p.ValLoss);
        var chosen = shuffled
            ? proxies[new Random(unchecked((int)new SeedStreams(config.Seed).AutoControl)).Next(proxies.Count)].Method
            : proxies.Last(p => p.ValLoss <= best * (1 + tolerance)).Method;
        AutoSelection.Write(run, new AutoSelection(chosen, proxyFraction, tolerance, proxies));
        return chosen;
    }

    /// <inheritdoc />
    public override TrainingStep CreateStep(StepContext context) =>
        throw new InvalidOperationException("auto trains the method it chose; the trainer asks it to choose first");

    /// <inheritdoc />
    public override LearnedArtifacts LoadArtifacts(RunDirectory? run, int channels, long seed)
    {
        if (run is null)
        {
            throw new DaboException("--augment auto: the chosen augmentation is in the run directory's selection.json; pass --run DIR");
        }
        var selection = AutoSelection.TryRead(run) ?? throw new DaboException($"--run {run.Path}: no {AutoSelection.FileName}; an auto run writes it once its proxies have trained (resume the run to finish it)");
        return new LearnedArtifacts(null, null) { FixedText = selection.Chosen };
    }
}
