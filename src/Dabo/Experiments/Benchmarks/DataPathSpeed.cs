using System.Text.Json.Serialization;

namespace Dabo.Experiments.Benchmarks;

/// <summary>Throughput of one stage of the data path (per batch).</summary>
/// <param name="Name">What was timed, e.g. <c>batch+trivialaugment</c> or <c>learned-affine forward</c>.</param>
/// <param name="MillisecondsPerBatch">Median milliseconds per batch.</param>
/// <param name="ImagesPerSecond">Batch size divided by that time.</param>
/// <param name="ShareOfPlainStep">That time as a fraction of the model's plain training step (null when not related to a model).</param>
public sealed record DataPathSpeed(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("ms_per_batch")] double MillisecondsPerBatch,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("share_of_plain_step")] double? ShareOfPlainStep);
