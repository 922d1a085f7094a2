using System.Globalization;
using Dabo.Methods;

namespace Dabo.Experiments.Benchmarks;

/// <summary>Whether one target of the accuracy benchmark was met, with the figure that decides it.</summary>
/// <param name="Target">What was aimed at.</param>
/// <param name="Figure">The measured figure.</param>
/// <param name="Met">Met or missed; null when a method it needs was not run.</param>
public sealed record TargetCheck(string Target, string Figure, bool? Met);

/// <summary>
/// The accuracy benchmark's targets, checked for the learned method with the best mean validation
/// accuracy (chosen on validation, never on test; the shuffled control is never chosen): at least
/// +3 points over <c>none</c>, better than the grid search at less than a fifth of its total cost, and
/// at least as good as TrivialAugment. When <c>learned-policy</c> ran, three more for it: +0.5 points
/// over the better of TrivialAugment and RandAugment, over its own prior (<c>uniform-policy</c>) and
/// over the shuffled-advantage control.
/// </summary>
public static class AccuracyTargets
{
    /// <summary>Points over <c>none</c> the learned augmentation aims at.</summary>
    public const double GainOverNonePoints = 3;

    /// <summary>Points the learned policy must gain over the hand-designed policies, its prior and its control.</summary>
    public const double PolicyMarginPoints = 0.5;

    /// <summary>Largest share of the grid search's total cost the learned augmentation may use.</summary>
    public const double GridCostShare = 0.2;

    /// <summary>The learned method chosen by validation accuracy, or null when none was run.</summary>
    public static MethodResult? BestLearned(ComparisonResults results) =>
        results.Methods.Where(m => MethodSpec.Parse(m.Method, allowGrid: true).Learned is { IsControl: false })
            .OrderByDescending(m => m.ValAccuracyMean ?? double.NegativeInfinity)
            .FirstOrDefault();

    /// <summary>The three checks (an empty list when no learned method was run).</summary>
    public static IReadOnlyList<TargetCheck> Check(ComparisonResults results)
    {
        var learned = BestLearned(results);
        if (learned is null)
        {
            return [];
        }
        MethodResult? Find(string method) => results.Methods.FirstOrDefault(m => m.Method == method);
        string Points(double difference) => (difference * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);
        var checks = new List<TargetCheck>();

        string overNone = string.Create(CultureInfo.InvariantCulture, $"≥ +{GainOverNonePoints:0} pts over none");
        var none = Find("none");
        checks.Add(none is null
            ? new TargetCheck(overNone, "none not run", null)
            : new TargetCheck(overNone, $"{Points(learned.TestAccuracyMean - none.TestAccuracyMean)} pts",
                (learned.TestAccuracyMean - none.TestAccuracyMean) * 100 >= GainOverNonePoints));

        const string overGrid = "beats the grid search at < 1/5 of its cost";
        var grid = results.Methods.FirstOrDefault(m => MethodSpec.Parse(m.Method, allowGrid: true).GridFamily is not null);
        if (grid is null)
        {
            checks.Add(new TargetCheck(overGrid, "no grid search run", null));
        }
        else
        {
            double share = learned.WallSecondsTotal / grid.WallSecondsTotal;
            bool better = learned.TestAccuracyMean > grid.TestAccuracyMean;
            checks.Add(new TargetCheck(overGrid,
                string.Create(CultureInfo.InvariantCulture, $"{Points(learned.TestAccuracyMean - grid.TestAccuracyMean)} pts at {share:0.00}× its total wall time"),
                better && share < GridCostShare));
        }

        const string overTrivial = "matches or beats TrivialAugment";
        var trivial = Find("trivialaugment");
        checks.Add(trivial is null
            ? new TargetCheck(overTrivial, "trivialaugment not run", null)
            : new TargetCheck(overTrivial, $"{Points(learned.TestAccuracyMean - trivial.TestAccuracyMean)} pts",
                learned.TestAccuracyMean >= trivial.TestAccuracyMean));

        if (Find("learned-policy") is { } policy)
        {
            void Over(string target, MethodResult? other, string missing)
            {
                checks.Add(other is null
                    ? new TargetCheck(target, missing, null)
                    : new TargetCheck(target, $"{Points(policy.TestAccuracyMean - other.TestAccuracyMean)} pts over {other.Method}",
                        (policy.TestAccuracyMean - other.TestAccuracyMean) * 100 >= PolicyMarginPoints));
            }
            var best = new[] { trivial, Find("randaugment") }.Where(m => m is not null).OrderByDescending(m => m!.TestAccuracyMean).FirstOrDefault();
            Over("learned-policy ≥ max(TrivialAugment, RandAugment) + 0.5 pts", best, "neither trivialaugment nor randaugment run");
            Over("learned-policy ≥ uniform-policy + 0.5 pts", Find("uniform-policy"), "uniform-policy not run");
            Over("learned-policy ≥ its shuffled control + 0.5 pts", Find("learned-policy-shuffled"), "learned-policy-shuffled not run");
        }
        return checks;
    }
}
