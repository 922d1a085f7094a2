namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>What a run of the suite is for.</summary>
public enum SuiteRole
{
    /// <summary>A method's run at a seed.</summary>
    Method,

    /// <summary>One configuration of the grid at the first seed, on the 80/20 split (selection by validation).</summary>
    GridSelection,

    /// <summary>The grid's chosen configuration at a seed.</summary>
    GridChosen,
}

/// <summary>
/// One run of the suite. Runs with the same configuration share a directory (e.g. learned-policy in both
/// columns, or the grid's chosen configuration at the first seed on the 80/20 split and its selection run).
/// </summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Schedule">Schedule name.</param>
/// <param name="Method">The suite's method (<see cref="SuiteMethods.Grid"/> for selection and chosen runs).</param>
/// <param name="TrainSet">What it trains on.</param>
/// <param name="Seed">Seed (also the data seed: each seed draws its own labelled subset, the same for every method).</param>
/// <param name="Phase">Run order: 1 short schedule user protocol, 2 its 800/200 extras, 3 and 4 the same for the next schedule.</param>
/// <param name="Role">Method run, grid selection or grid choice.</param>
/// <param name="Job">Configuration and directory; null for a grid choice not made yet (its selection is unfinished).</param>
public sealed record SuiteRun(string Dataset, string Schedule, string Method, SuiteTrainSet TrainSet, int Seed, int Phase, SuiteRole Role, RunJob? Job)
{
    /// <summary>The augmentation trained (<c>randaugment:N:M</c> for grid runs); null while the grid's choice is pending.</summary>
    public string? Augment => Job?.Config.Augment;
}
