using Dabo.Methods;
using Dabo.Training;

namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// The methods of <c>dabo bench suite</c>. Any method <c>--augment</c> takes may join (a method with a
/// learned part holds images out for validation, every other trains on all of them in the user's protocol),
/// plus <see cref="Grid"/>, RandAugment's N × M grid chosen on validation.
/// </summary>
public static class SuiteMethods
{
    /// <summary>The RandAugment N × M grid: each configuration at the first seed on the 80/20 split, the best validation accuracy run at every seed.</summary>
    public const string Grid = "randaugment-grid";

    /// <summary>The fixed methods whose best (by mean test accuracy) is each cell's reference.</summary>
    public static IReadOnlyList<string> Reference { get; } = ["none", "trivialaugment", "randaugment"];

    /// <summary>The default methods, in run order.</summary>
    public static IReadOnlyList<string> Defaults { get; } = ["none", "trivialaugment", "randaugment", Grid, "uniform-policy", "learned-policy"];

    /// <summary>The grid's operation counts N (Cubuk et al. 2020 search N and M).</summary>
    public static IReadOnlyList<int> GridOperations { get; } = [1, 2];

    /// <summary>The grid's magnitudes M (bins of 0–30; RandAugment's default is 9).</summary>
    public static IReadOnlyList<int> GridMagnitudes { get; } = [5, 10, 15];

    /// <summary>The grid's configurations, <c>randaugment:N:M</c>, in the order ties are broken (first wins).</summary>
    public static IReadOnlyList<string> GridConfigurations { get; } =
        [.. GridOperations.SelectMany(n => GridMagnitudes.Select(m => $"randaugment:{n}:{m}"))];

    /// <summary>Whether a method learns from validation images (and therefore holds them out).</summary>
    public static bool IsLearned(string method) => method != Grid && RunSpec.From(new TrainingConfig { Augment = method }).Method.NeedsValidationSplit;

    /// <summary>What a method trains on in the user's protocol.</summary>
    public static SuiteTrainSet UserTrainSet(string method) => IsLearned(method) ? SuiteTrainSet.HoldOut : SuiteTrainSet.All;

    /// <summary>Checks a method list (names, no grid searches of <c>compare</c>, no repeats), naming <c>--methods</c>.</summary>
    public static void Check(IReadOnlyList<string> methods)
    {
        if (methods.Count == 0)
        {
            throw new DaboException($"--methods: empty; give a comma-separated list, e.g. {string.Join(",", Defaults)}");
        }
        if (methods.Distinct(StringComparer.Ordinal).Count() != methods.Count)
        {
            throw new DaboException($"--methods: '{string.Join(",", methods)}' names a method twice");
        }
        foreach (var method in methods.Where(m => m != Grid))
        {
            if (method.StartsWith(MethodSpec.GridPrefix, StringComparison.Ordinal))
            {
                throw new DaboException($"--methods: '{method}': the suite's grid is '{Grid}' (RandAugment N × M); grid:FAMILY belongs to compare");
            }
            try
            {
                RunSpec.From(new TrainingConfig { Augment = method });
            }
            catch (DaboException e)
            {
                throw new DaboException($"--methods: {e.Message}", e);
            }
        }
    }
}
