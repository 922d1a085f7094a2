using System.Text.Json.Serialization;

namespace Dabo.Experiments.Benchmarks;

/// <summary>
/// Cost of the exact bilevel step with K look-ahead steps: time per real training step and the
/// resident memory it peaks at (the graph of K inner steps is kept until the window closes).
/// </summary>
/// <param name="InnerSteps">K.</param>
/// <param name="MillisecondsPerStep">Median time of a window of K steps, divided by K.</param>
/// <param name="RatioToPlain">That time over the plain step's.</param>
/// <param name="PeakRssMb">Peak resident memory (MiB) while these windows ran, or null where <c>/proc</c> cannot tell.</param>
/// <param name="PeakRssOverPlainMb">That peak minus the peak of plain steps measured the same way (MiB), or null.</param>
public sealed record InnerStepSpeed(
    [property: JsonPropertyName("k")] int InnerSteps,
    [property: JsonPropertyName("ms_per_step")] double MillisecondsPerStep,
    [property: JsonPropertyName("ratio_to_plain")] double RatioToPlain,
    [property: JsonPropertyName("peak_rss_mb")] double? PeakRssMb,
    [property: JsonPropertyName("peak_rss_over_plain_mb")] double? PeakRssOverPlainMb);
