using Dabo.Models;

namespace Dabo.Experiments.Benchmarks;

/// <summary>Settings of <see cref="SpeedBenchmark"/>; <see cref="Validate"/> names the CLI flag of a bad value.</summary>
public sealed record SpeedBenchmarkOptions
{
    /// <summary>The models timed by default: the fast CPU network and the reference's CIFAR ResNet-18.</summary>
    public static IReadOnlyList<string> DefaultModels { get; } = [SmallCnn.RegistryName, ResNet18.RegistryName];

    /// <summary>Classifiers to time (registry names).</summary>
    public IReadOnlyList<string> Models { get; init; } = DefaultModels;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Timed steps per mode for the small CNN (the median is reported).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Timed steps per mode for every other (slower) model: at most this many, and at most <see cref="Steps"/>.</summary>
    public int LargeModelSteps { get; init; } = 5;

    /// <summary>Untimed steps per mode before timing (allocator and kernel warm-up).</summary>
    public int WarmupSteps { get; init; } = 3;

    /// <summary>Bilevel steps (K = 1, exact, small CNN) of the memory soak after its warm-up; 0 skips it.</summary>
    public int SoakSteps { get; init; } = 1000;

    /// <summary>Steps between two RSS samples of the soak.</summary>
    public int SoakSampleInterval { get; init; } = 50;

    /// <summary>Side of the synthetic square images.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Image channels of the synthetic data.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Number of classes of the synthetic data.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>CPU threads (null or 0: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Whether to time the data path (batch assembly with each fixed augmentation, learned augmenter forward).</summary>
    public bool DataPath { get; init; } = true;

    /// <summary>Whether to record the phase times of each mode (<see cref="Training.StepProfiler"/>).</summary>
    public bool Profile { get; init; }

    /// <summary>
    /// Look-ahead lengths K for which the exact bilevel step's time per real step and peak RSS are
    /// measured, each after the interleaved modes (empty: none).
    /// </summary>
    public IReadOnlyList<int> InnerSteps { get; init; } = [];

    /// <summary>Seed of the synthetic data and of the initializations.</summary>
    public int Seed { get; init; }

    /// <summary>Timed steps for <paramref name="model"/>.</summary>
    public int StepsFor(string model) =>
        string.Equals(model, SmallCnn.RegistryName, StringComparison.OrdinalIgnoreCase) ? Steps : Math.Min(Steps, LargeModelSteps);

    /// <summary>Checks every field.</summary>
    /// <exception cref="DaboException">On a value the benchmark cannot run with.</exception>
    public void Validate()
    {
        if (Models.Count == 0)
        {
            throw new DaboException("--model: no model given; use small-cnn, resnet18 or all");
        }
        foreach (var model in Models)
        {
            ModelRegistry.Validate(model);
        }
        if (BatchSize < 2)
        {
            throw new DaboException($"--batch {BatchSize}: must be at least 2 (BatchNorm needs two images)");
        }
        if (Steps < 1)
        {
            throw new DaboException($"--steps {Steps}: must be positive");
        }
        if (LargeModelSteps < 1)
        {
            throw new DaboException($"--large-steps {LargeModelSteps}: must be positive");
        }
        if (WarmupSteps < 0)
        {
            throw new DaboException($"--warmup {WarmupSteps}: must be non-negative");
        }
        if (SoakSteps < 0)
        {
            throw new DaboException($"--soak-steps {SoakSteps}: must be non-negative (0 skips the soak)");
        }
        if (SoakSampleInterval < 1)
        {
            throw new DaboException($"soak sample interval {SoakSampleInterval}: must be positive");
        }
        if (ImageSize < 8)
        {
            throw new DaboException($"--image-size {ImageSize}: must be at least 8");
        }
        if (Channels is not (1 or 3))
        {
            throw new DaboException($"channels {Channels}: must be 1 or 3");
        }
        if (Classes < 2)
        {
            throw new DaboException($"classes {Classes}: must be at least 2");
        }
        // The range training accepts, so that every K the benchmark times is one a run can use.
        var range = Training.Bilevel.BilevelOptions.InnerStepsRange;
        if (InnerSteps.Any(k => !range.Contains(k)))
        {
            throw new DaboException($"--inner-steps {string.Join(',', InnerSteps)}: each K must be from {range.Min} to {range.Max}, e.g. 1,2,4,8");
        }
        if (Threads is < 0)
        {
            throw new DaboException($"--threads {Threads}: must be positive (or 0 for all {Environment.ProcessorCount} cores)");
        }
    }
}
