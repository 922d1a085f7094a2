using System.Globalization;

namespace Dabo.Training;

/// <summary>
/// Watches the training loss for divergence and tells whose learning rate to blame. A loss is an
/// explosion when it is not finite, above <see cref="AbsoluteLimit"/>, or above <see cref="Factor"/>
/// times the first loss (at least 1): cross-entropy starts near ln(classes) and a healthy run never comes
/// near 10,000 times that, while <c>--lr 100</c> reached 5e25 and used to finish "successfully". The
/// augmenter is blamed when its parameters blew up (norm above <see cref="AugmenterGrowth"/>× its start
/// plus 1, or non-finite) strictly before the loss started rising (<see cref="RisingFactor"/>× the
/// first loss): a classifier that diverges on its own drags the augmenter along only afterwards.
/// </summary>
public sealed class DivergenceWatch
{
    /// <summary>How many times the first loss (or 1, if larger) counts as an explosion.</summary>
    public const double Factor = 1e4;

    /// <summary>A loss above this is an explosion whatever the first loss was.</summary>
    public const double AbsoluteLimit = 1e6;

    /// <summary>How many times the first loss (or 1) counts as the start of a rise.</summary>
    public const double RisingFactor = 10;

    /// <summary>How much the augmenter's parameter norm must grow (relative to its start, plus 1) to count as blown up.</summary>
    public const double AugmenterGrowth = 100;

    private readonly double? _augmenterStart;
    private double? _firstLoss;
    private long _steps;
    private long? _lossRoseAt;
    private long? _augmenterRoseAt;

    /// <summary>Starts watching; <paramref name="augmenterNormAtStart"/> is null when no augmenter is trained.</summary>
    public DivergenceWatch(double? augmenterNormAtStart) => _augmenterStart = augmenterNormAtStart;

    /// <summary>The first finite loss seen (the reference), or null.</summary>
    public double? FirstLoss => _firstLoss;

    /// <summary>
    /// Records one step: its loss, and the augmenter's parameter norm after the step's update (null without
    /// an augmenter). Returns true when the loss exploded.
    /// </summary>
    public bool Observe(double loss, double? augmenterNormAfter)
    {
        _steps++;
        _firstLoss ??= double.IsFinite(loss) ? loss : null;
        double reference = Math.Max(_firstLoss ?? 1, 1);
        if (_lossRoseAt is null && (!double.IsFinite(loss) || loss > RisingFactor * reference))
        {
            _lossRoseAt = _steps;
        }
        bool exploded = !double.IsFinite(loss) || loss > Limit;
        if (_augmenterRoseAt is null && _augmenterStart is double start && augmenterNormAfter is double now
            && (!double.IsFinite(now) || now > AugmenterGrowth * (start + 1)))
        {
            // The norm is taken after this step's update, so it first shows in the next step's loss.
            _augmenterRoseAt = _steps;
        }
        return exploded;
    }

    /// <summary>True when the augmenter blew up before the loss began to rise.</summary>
    public bool AugmenterBlamed => _augmenterRoseAt is long a && (_lossRoseAt is not long l || a < l);

    /// <summary>The loss above which training counts as diverged.</summary>
    public double Limit => Math.Min(AbsoluteLimit, Factor * Math.Max(_firstLoss ?? 1, 1));

    /// <summary>The one-line error: where, how far, which flag to lower, and what was kept.</summary>
    public string Message(double loss, int epoch, int step, double lr, TrainingConfig config, int lastGoodEpoch, string runPath, bool removed)
    {
        var c = CultureInfo.InvariantCulture;
        string what = double.IsFinite(loss)
            ? string.Create(c, $"loss {loss:g3} exceeds {Limit:g3} ({Factor:g0} × the first loss {_firstLoss ?? double.NaN:g3}, at most {AbsoluteLimit:g0})")
            : "non-finite loss";
        string cause = AugmenterBlamed
            ? string.Create(c, $"after the augmenter's parameters blew up (--augmenter-lr {config.AugmenterLr:g3}); lower --augmenter-lr")
            : string.Create(c, $"(lr {lr:g3}, --lr {config.Lr:g3}); lower --lr");
        string kept = lastGoodEpoch > 0
            ? $"the last good checkpoint (epoch {lastGoodEpoch}) is kept in {runPath}; start again with another --out"
            : removed ? $"no epoch had finished, so nothing is kept ({runPath} was removed); start again" : $"no epoch had finished, so nothing is kept; remove {runPath} and start again";
        return string.Create(c, $"training diverged: {what} at epoch {epoch}, step {step} {cause}; {kept}");
    }
}
