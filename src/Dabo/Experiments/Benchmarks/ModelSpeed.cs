using System.Text.Json.Serialization;
using Dabo.Training;

namespace Dabo.Experiments.Benchmarks;

/// <summary>
/// Step times of one classifier, all measured in the same process one after the other: a plain
/// step (frozen learned augmenter) and bilevel steps (K = 1 exact, K = 1 finite difference,
/// K = 2 exact). Times are medians in milliseconds per training batch; for K = 2 a window of
/// two batches is timed and halved. Ratios are bilevel over plain.
/// </summary>
public sealed record ModelSpeed
{
    /// <summary>Registry name of the classifier.</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>Images per batch.</summary>
    [JsonPropertyName("batch")]
    public required int Batch { get; init; }

    /// <summary>Side of the square synthetic images.</summary>
    [JsonPropertyName("image_size")]
    public required int ImageSize { get; init; }

    /// <summary>Timed steps per mode (after warm-up).</summary>
    [JsonPropertyName("steps")]
    public required int Steps { get; init; }

    /// <summary>Untimed warm-up steps per mode.</summary>
    [JsonPropertyName("warmup")]
    public required int Warmup { get; init; }

    /// <summary>CPU threads libtorch used.</summary>
    [JsonPropertyName("threads")]
    public required int Threads { get; init; }

    /// <summary>Median plain step.</summary>
    [JsonPropertyName("plain_ms")]
    public required double PlainMs { get; init; }

    /// <summary>Median bilevel step, K = 1, exact hypergradient.</summary>
    [JsonPropertyName("bilevel_k1_exact_ms")]
    public required double BilevelK1ExactMs { get; init; }

    /// <summary>Median bilevel step, K = 1, finite-difference hypergradient.</summary>
    [JsonPropertyName("bilevel_k1_fd_ms")]
    public required double BilevelK1FdMs { get; init; }

    /// <summary>Median bilevel step per batch, K = 2, exact (unrolled) hypergradient.</summary>
    [JsonPropertyName("bilevel_k2_exact_ms")]
    public required double BilevelK2ExactMs { get; init; }

    /// <summary>Median ms of a learned-policy step that only samples and augments (default S = 2 slots).</summary>
    [JsonPropertyName("learned_policy_sample_ms")]
    public double LearnedPolicySampleMs { get; init; }

    /// <summary>Median ms of a learned-policy step that also updates the policy (validation gradient, rewards, REINFORCE).</summary>
    [JsonPropertyName("learned_policy_update_ms")]
    public double LearnedPolicyUpdateMs { get; init; }

    /// <summary>The default update interval n used for <see cref="RatioLearnedPolicy"/>.</summary>
    [JsonPropertyName("learned_policy_update_every")]
    public int LearnedPolicyUpdateEvery { get; init; } = 1;

    /// <summary>A learned-policy step averaged over an update interval, over a plain step.</summary>
    [JsonPropertyName("ratio_learned_policy")]
    public double RatioLearnedPolicy => (LearnedPolicySampleMs + ((LearnedPolicyUpdateMs - LearnedPolicySampleMs) / Math.Max(1, LearnedPolicyUpdateEvery))) / PlainMs;

    /// <summary><see cref="BilevelK1ExactMs"/> / <see cref="PlainMs"/>.</summary>
    [JsonPropertyName("ratio_k1_exact")]
    public double RatioK1Exact => BilevelK1ExactMs / PlainMs;

    /// <summary><see cref="BilevelK1FdMs"/> / <see cref="PlainMs"/>.</summary>
    [JsonPropertyName("ratio_k1_fd")]
    public double RatioK1Fd => BilevelK1FdMs / PlainMs;

    /// <summary><see cref="BilevelK2ExactMs"/> / <see cref="PlainMs"/>.</summary>
    [JsonPropertyName("ratio_k2_exact")]
    public double RatioK2Exact => BilevelK2ExactMs / PlainMs;

    /// <summary>Training images per second of the plain step.</summary>
    [JsonPropertyName("images_per_second_plain")]
    public double ImagesPerSecondPlain => Batch * 1000.0 / PlainMs;

    /// <summary>Peak resident memory of the process (VmHWM) after this model's runs, MiB (process-wide, so it includes earlier models).</summary>
    [JsonPropertyName("peak_rss_mb")]
    public required double? PeakRssMb { get; init; }

    /// <summary>Whether glibc's malloc kept freed memory for reuse (<see cref="TorchRuntime.TuneAllocator"/>); false with <c>DABO_MALLOC=default</c>.</summary>
    [JsonPropertyName("allocator_tuned")]
    public bool AllocatorTuned { get; init; }

    /// <summary>RSS growth over the soak (last vs first sample after warm-up), %; null when no soak ran for this model.</summary>
    [JsonPropertyName("rss_growth_percent")]
    public double? RssGrowthPercent { get; init; }

    /// <summary>Bilevel steps of the soak (0 when none ran for this model).</summary>
    [JsonPropertyName("soak_steps")]
    public int SoakSteps { get; init; }

    /// <summary>RSS samples of the soak, MiB (first one after warm-up).</summary>
    [JsonPropertyName("soak_rss_mb")]
    public IReadOnlyList<double>? SoakRssMb { get; init; }

    /// <summary>Data-path throughput with each stage's share of this model's plain step.</summary>
    [JsonPropertyName("data_path")]
    public IReadOnlyList<DataPathSpeed>? DataPath { get; init; }

    /// <summary>Mean phase times per mode (only when profiling).</summary>
    [JsonPropertyName("phases")]
    public IReadOnlyDictionary<string, IReadOnlyList<PhaseTime>>? Phases { get; init; }

    /// <summary>
    /// The exact bilevel step for each K of <see cref="SpeedBenchmarkOptions.InnerSteps"/> (time per
    /// real step and peak RSS), or null when not asked for.
    /// </summary>
    [JsonPropertyName("inner_steps")]
    public IReadOnlyList<InnerStepSpeed>? InnerSteps { get; init; }
}
