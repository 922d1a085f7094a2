using System.Text.Json;
using Dabo.Experiments.Benchmarks;

namespace Dabo.Tests.Experiments;

[Collection("global-rng")]
public class SpeedBenchmarkTests
{
    private static readonly string[] ExpectedKeys =
    [
        "model", "batch", "steps", "plain_ms", "bilevel_k1_exact_ms", "bilevel_k1_fd_ms", "bilevel_k2_exact_ms",
        "ratio_k1_exact", "ratio_k1_fd", "images_per_second_plain", "peak_rss_mb", "rss_growth_percent",
        "learned_policy_sample_ms", "learned_policy_update_ms", "ratio_learned_policy",
    ];

    private static SpeedBenchmarkOptions Tiny(int soakSteps = 0, bool profile = false) => new()
    {
        Models = ["small-cnn"],
        BatchSize = 4,
        Steps = 2,
        WarmupSteps = 1,
        SoakSteps = soakSteps,
        SoakSampleInterval = 2,
        ImageSize = 16,
        Threads = 1,
        Profile = profile,
    };

    [Fact]
    public void Tiny_run_gives_finite_positive_times_ratios_and_the_json_keys()
    {
        var result = Assert.Single(new SpeedBenchmark(Tiny(profile: true)).Run());

        Assert.Equal("small-cnn", result.Model);
        Assert.Equal(4, result.Batch);
        Assert.Equal(2, result.Steps);
        foreach (var value in new[] { result.PlainMs, result.BilevelK1ExactMs, result.BilevelK1FdMs, result.BilevelK2ExactMs, result.RatioK1Exact, result.RatioK1Fd, result.RatioK2Exact, result.ImagesPerSecondPlain, result.LearnedPolicySampleMs, result.LearnedPolicyUpdateMs, result.RatioLearnedPolicy })
        {
            Assert.True(double.IsFinite(value) && value > 0, $"not finite and positive: {value}");
        }
        Assert.True(result.PeakRssMb > 0);
        Assert.Null(result.RssGrowthPercent);
        Assert.Equal(SpeedBenchmark.FixedAugmentations.Count + 2, result.DataPath!.Count);
        Assert.All(result.DataPath, d => Assert.True(d.MillisecondsPerBatch > 0 && d.ImagesPerSecond > 0 && d.ShareOfPlainStep > 0, d.Name));
        Assert.Contains(result.DataPath, d => d.Name == "batch+trivialaugment");
        Assert.Equal(["plain", "bilevel_k1_exact", "bilevel_k1_fd", "bilevel_k2_exact", "learned_policy_sample", "learned_policy_update"], result.Phases!.Keys);
        Assert.Contains(result.Phases["learned_policy_update"], p => p.Phase == "policy update" && p.Milliseconds > 0);
        Assert.DoesNotContain(result.Phases["learned_policy_sample"], p => p.Phase == "policy update");
        Assert.Contains(result.Phases["bilevel_k1_exact"], p => p.Phase == "second-order backward" && p.Milliseconds > 0);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result));
        foreach (var key in ExpectedKeys)
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), $"missing key {key}");
        }
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("rss_growth_percent").ValueKind);
        Assert.Equal(result.PlainMs, json.RootElement.GetProperty("plain_ms").GetDouble());
    }

    [Fact]
    public void Soak_reports_rss_samples_and_a_finite_growth()
    {
        var options = Tiny(soakSteps: 4) with { DataPath = false };
        var result = Assert.Single(new SpeedBenchmark(options).Run());

        Assert.Equal(4, result.SoakSteps);
        Assert.NotNull(result.RssGrowthPercent);
        Assert.True(double.IsFinite(result.RssGrowthPercent!.Value));
        Assert.Equal(3, result.SoakRssMb!.Count); // samples at steps 0 and 2 after warm-up, and at the end
        Assert.Null(result.Phases);
    }

    [Theory]
    [InlineData(1, 2, 0, "--batch")]
    [InlineData(4, 0, 0, "--steps")]
    [InlineData(4, 2, -1, "--soak-steps")]
    public void Bad_options_name_their_flag(int batch, int steps, int soak, string flag)
    {
        var options = Tiny() with { BatchSize = batch, Steps = steps, SoakSteps = soak };
        var e = Assert.Throws<DaboException>(() => new SpeedBenchmark(options));
        Assert.StartsWith(flag, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_model_is_rejected_before_anything_runs()
    {
        var e = Assert.Throws<DaboException>(() => new SpeedBenchmark(Tiny() with { Models = ["nonet"] }));
        Assert.Contains("nonet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_models_get_at_most_the_large_step_count()
    {
        var options = new SpeedBenchmarkOptions { Steps = 20, LargeModelSteps = 5 };
        Assert.Equal(20, options.StepsFor("small-cnn"));
        Assert.Equal(5, options.StepsFor("resnet18"));
        Assert.Equal(3, (options with { Steps = 3 }).StepsFor("resnet18"));
    }

    [Fact]
    public void Proc_status_fields_parse_with_tabs_and_spaces()
    {
        const string status = "Name:\tdotnet\nVmHWM:\t  204800 kB\nVmRSS:   102400 kB\n";
        Assert.Equal(200.0, ProcessMemory.Parse(status, "VmHWM:"));
        Assert.Equal(100.0, ProcessMemory.Parse(status, "VmRSS:"));
        Assert.Null(ProcessMemory.Parse(status, "VmSwap:"));
        Assert.True(ProcessMemory.PeakResidentMegabytes() > 0);
    }
}
