namespace Dabo.Experiments;

/// <summary>One method's results aggregated over seeds (accuracies are fractions 0–1).</summary>
/// <param name="Method">The <c>--augment</c> method (or a label such as <c>grid:random-affine</c>).</param>
/// <param name="Seeds">Number of finished runs aggregated.</param>
/// <param name="TestAccuracyMean">Mean test accuracy of the final models.</param>
/// <param name="TestAccuracyStd">Sample standard deviation over seeds (0 for one seed).</param>
/// <param name="ValAccuracyMean">Mean final validation accuracy, if any.</param>
/// <param name="TestAccuracyAtBestValMean">Mean test accuracy of the best-validation epochs.</param>
/// <param name="WallSecondsMean">Mean wall time of one run.</param>
/// <param name="WallSecondsTotal">Total wall time of all runs of the method (for a grid search: the whole search).</param>
/// <param name="GainOverNone">Mean test accuracy minus that of <c>none</c>, when <c>none</c> was run.</param>
/// <param name="RunDirectories">The run directories aggregated.</param>
/// <param name="TestAccuracies">Test accuracy of each run's final model, in the order of <paramref name="RunDirectories"/> (null when not recorded).</param>
public sealed record MethodResult(
    string Method,
    int Seeds,
    double TestAccuracyMean,
    double TestAccuracyStd,
    double? ValAccuracyMean,
    double TestAccuracyAtBestValMean,
    double WallSecondsMean,
    double WallSecondsTotal,
    double? GainOverNone,
    IReadOnlyList<string> RunDirectories,
    IReadOnlyList<double>? TestAccuracies = null);

/// <summary>The results of a comparison or grid search, as written to <c>results.json</c>.</summary>
/// <param name="Dataset">Dataset.</param>
/// <param name="Model">Classifier.</param>
/// <param name="Epochs">Epochs per run.</param>
/// <param name="TrainSize">Training subset size (null: all).</param>
/// <param name="Methods">Per-method results.</param>
/// <param name="Command">The command line that produced them.</param>
/// <param name="Versions">Software versions (Dabo, TorchSharp, libtorch, .NET, OS).</param>
/// <param name="Date">UTC date and time of the aggregation.</param>
public sealed record ComparisonResults(
    string Dataset,
    string Model,
    int Epochs,
    int? TrainSize,
    IReadOnlyList<MethodResult> Methods,
    string Command,
    IReadOnlyDictionary<string, string> Versions,
    string Date);
