namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>Which of a seed's labelled images a run trains on.</summary>
public enum SuiteTrainSet
{
    /// <summary>All of them, nothing held out (a fixed method in the user's protocol).</summary>
    All,

    /// <summary>80 %; 20 % held out for validation (learned methods, the grid's selection, the 800/200 column).</summary>
    HoldOut,
}

/// <summary>The columns of the suite's report: how the labelled images are used.</summary>
public enum SuiteProtocol
{
    /// <summary>
    /// The user's protocol: fixed methods (and the grid's chosen configuration) train on every labelled
    /// image; learned methods hold 20 % out for validation, as they need it.
    /// </summary>
    User,

    /// <summary>The 800/200 protocol of <c>bench accuracy</c>: every method trains on 80 % and holds 20 % out.</summary>
    Split,
}
