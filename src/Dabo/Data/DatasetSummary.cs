using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dabo.Data;

/// <summary>
/// What <c>dabo data</c> reports about a dataset; serializes to snake_case JSON. <see cref="Val"/> and
/// <see cref="ValPerClass"/> are null when the dataset has no validation split of its own (<c>val/</c>).
/// </summary>
public sealed record DatasetSummary(
    string Source,
    string Format,
    int Train,
    int? Val,
    int Test,
    IReadOnlyList<string> Classes,
    int[] Shape,
    int Channels,
    int[] TrainPerClass,
    int[]? ValPerClass,
    int[] TestPerClass,
    double[] Mean,
    double[] Std,
    double LoadSeconds)
{
    /// <summary>Grayscale images repeated into three channels because the dataset also holds colour images.</summary>
    public int GrayscaleConvertedToRgb { get; init; }

    /// <summary>JSON options: snake_case keys, compact.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Summarizes a loaded dataset.</summary>
    public static DatasetSummary Of(Dataset dataset, double loadSeconds) => new(
        dataset.Source,
        FormatName(dataset.Format),
        dataset.Train.Count,
        dataset.Validation?.Count,
        dataset.Test.Count,
        dataset.ClassNames,
        dataset.Shape,
        dataset.Shape[0],
        dataset.Train.CountsPerClass(dataset.ClassCount),
        dataset.Validation?.CountsPerClass(dataset.ClassCount),
        dataset.Test.CountsPerClass(dataset.ClassCount),
        dataset.Mean,
        dataset.Std,
        Math.Round(loadSeconds, 3))
    {
        GrayscaleConvertedToRgb = dataset.GrayscaleConvertedToRgb,
    };

    /// <summary>The command-line name of a format.</summary>
    public static string FormatName(DatasetFormat format) => format switch
    {
        DatasetFormat.Idx => "idx",
        DatasetFormat.CifarBinary => "cifar-binary",
        DatasetFormat.ImageFolder => "image-folder",
        _ => format.ToString().ToLowerInvariant(),
    };
}
