using System.Diagnostics;
using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Learned;
using Dabo.Data;
using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Bilevel;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments.Benchmarks;

/// <summary>
/// Times Dabo's training steps on synthetic data (DESIGN §5 "Speed"): for each model a plain step
/// (<see cref="PlainStep"/> with a frozen <c>learned-affine</c> augmenter, like the PyTorch anchor's
/// plain mode) and bilevel steps (<see cref="BilevelStep"/>: K = 1 exact, K = 1 finite difference,
/// K = 2 exact), each the median over timed steps after warm-up, one dispose scope per step; peak
/// RSS; a memory soak of K = 1 exact bilevel steps on the small CNN; and the data path (batch
/// assembly with each fixed augmentation, the learned augmenter's forward). No console output.
/// </summary>
public sealed class SpeedBenchmark
{
    /// <summary>The fixed augmentations whose batch assembly is timed.</summary>
    public static IReadOnlyList<string> FixedAugmentations { get; } = ["none", "standard", "randaugment", "trivialaugment", "autoaugment", "uniform-policy", "random-affine"];

    private const string AugmenterKind = "learned-affine";
    private const double Lr = 0.1;

    private readonly SpeedBenchmarkOptions _options;

    /// <summary>Creates the benchmark (options are validated here).</summary>
    public SpeedBenchmark(SpeedBenchmarkOptions options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Runs everything and returns one result per model, in the order given.</summary>
    /// <param name="progress">Receives a short line before each phase (may be null).</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    /// <param name="completed">Called with each model's result as soon as it is measured (e.g. to print JSON lines as they come).</param>
    public IReadOnlyList<ModelSpeed> Run(IProgress<string>? progress = null, CancellationToken cancellationToken = default, Action<ModelSpeed>? completed = null)
    {
        TorchRuntime.Initialize(_options.Threads);
        int threads = torch.get_num_threads();
        using var generator = new Generator((ulong)new SeedStreams(_options.Seed).SyntheticData);
        int b = _options.BatchSize;
        using var test = SyntheticImages.Create(b, _options.Channels, _options.ImageSize, _options.Classes, generator);
        using var data = PreparedData.FromSets(
            SyntheticImages.Create(Math.Max(4 * b, 256), _options.Channels, _options.ImageSize, _options.Classes, generator),
            SyntheticImages.Create(Math.Max(2 * b, 64), _options.Channels, _options.ImageSize, _options.Classes, generator),
            test,
            Enumerable.Range(0, _options.Classes).Select(i => $"class{i}").ToList());

        IReadOnlyList<DataPathSpeed> dataPath = [];
        if (_options.DataPath)
        {
            progress?.Report("data path");
            dataPath = TimeDataPath(data, cancellationToken);
        }

        var results = new List<ModelSpeed>();
        foreach (var model in _options.Models)
        {
            int steps = _options.StepsFor(model);
            progress?.Report($"{model}: plain, bilevel K=1 exact, K=1 fd, K=2 exact, learned-policy without and with an update (interleaved, {steps} timed steps each)");
            var (times, phases) = TimeModes(model, data, steps, cancellationToken);
            double plain = times[Mode.Plain];
            double exact = times[Mode.K1Exact];
            double fd = times[Mode.K1Fd];
            double k2 = times[Mode.K2Exact];
            double sample = times[Mode.PolicySample];
            double update = times[Mode.PolicyUpdate];

            IReadOnlyList<InnerStepSpeed>? inner = null;
            if (_options.InnerSteps.Count > 0)
            {
                progress?.Report($"{model}: exact bilevel step for K = {string.Join(", ", _options.InnerSteps)} (time and peak RSS)");
                inner = TimeInnerSteps(model, data, steps, plain, cancellationToken);
            }

            IReadOnlyList<double>? soak = null;
            if (_options.SoakSteps > 0 && string.Equals(model, SmallCnn.RegistryName, StringComparison.OrdinalIgnoreCase))
            {
                progress?.Report($"{model}: soak of {_options.SoakSteps} bilevel steps");
                soak = Soak(model, data, cancellationToken);
            }
            results.Add(new ModelSpeed
            {
                Model = model,
                Batch = b,
                ImageSize = _options.ImageSize,
                Steps = steps,
                Warmup = _options.WarmupSteps,
                Threads = threads,
                PlainMs = plain,
                BilevelK1ExactMs = exact,
                BilevelK1FdMs = fd,
                BilevelK2ExactMs = k2,
                LearnedPolicySampleMs = sample,
                LearnedPolicyUpdateMs = update,
                LearnedPolicyUpdateEvery = new TrainingConfig().PolicyUpdateEvery,
                PeakRssMb = ProcessMemory.PeakResidentMegabytes(),
                AllocatorTuned = TorchRuntime.AllocatorTuned,
                RssGrowthPercent = soak is { Count: >= 2 } ? 100.0 * (soak[^1] - soak[0]) / soak[0] : null,
                SoakSteps = soak is null ? 0 : _options.SoakSteps,
                SoakRssMb = soak,
                DataPath = dataPath.Select(d => d with { ShareOfPlainStep = d.MillisecondsPerBatch / plain }).ToList(),
                Phases = _options.Profile ? phases : null,
                InnerSteps = inner,
            });
            completed?.Invoke(results[^1]);
        }
        return results;
    }

    private enum Mode
    {
        Plain,
        K1Exact,
        K1Fd,
        K2Exact,
        PolicySample,
        PolicyUpdate,
    }

    private static string Label(Mode mode) => mode switch
    {
        Mode.Plain => "plain",
        Mode.K1Exact => "bilevel_k1_exact",
        Mode.K1Fd => "bilevel_k1_fd",
        Mode.K2Exact => "bilevel_k2_exact",
        Mode.PolicySample => "learned_policy_sample",
        _ => "learned_policy_update",
    };

    // Everything one timed mode needs, built fresh (same seed) for each mode and disposed after it.
    private sealed class Harness : IDisposable
    {
        public required Classifier Model { get; init; }
        public required SgdMomentum Optimizer { get; init; }
        public required BatchSampler Train { get; init; }
        public required BatchSampler Validation { get; init; }
        public required TrainingStep Step { get; init; }
        public required int StepsPerUnit { get; init; }

        public void Dispose()
        {
            Step.Dispose();
            Validation.Dispose();
            Train.Dispose();
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    private Harness Build(string modelName, PreparedData data, Mode mode, int innerSteps = 0)
    {
        torch.manual_seed(_options.Seed);
        var model = ModelRegistry.Create(modelName, data.Channels, _options.Classes);
        model.train();
        var config = new TrainingConfig
        {
            Model = modelName,
            Augment = mode switch
            {
                Mode.Plain => "none",
                Mode.PolicySample or Mode.PolicyUpdate => "learned-policy",
                _ => AugmenterKind,
            },
            // A learned-policy step that samples only (the update falls in the warm-up), or one that updates every time.
            PolicyUpdateEvery = mode == Mode.PolicyUpdate ? 1 : 1_000_000,
            BatchSize = _options.BatchSize,
            Lr = Lr,
            Seed = _options.Seed,
            InnerSteps = innerSteps > 0 ? innerSteps : mode == Mode.K2Exact ? 2 : 1,
            Hypergrad = mode == Mode.K1Fd ? HypergradMethod.Fd : HypergradMethod.Exact,
        };
        var optimizer = new SgdMomentum(model.Weights, config.Momentum, config.WeightDecay, config.Nesterov);
        var spec = RunSpec.From(config);
        var train = new BatchSampler(data.Train, _options.BatchSize, seed: spec.Seeds.BatchOrder, dropLast: true);
        var validation = new BatchSampler(data.Validation, _options.BatchSize, seed: spec.Seeds.ValidationOrder);
        var context = new StepContext(spec.Seeds, model, optimizer, data.Normalize, CPU, data, validation);
        // The trainer's own factory; the plain mode runs behind a frozen learned-affine augmenter,
        // like the PyTorch anchor's plain mode.
        var step = mode == Mode.Plain
            ? FrozenAugmenterStep.Create(context, AugmenterFactory.Create(AugmenterKind, data.Channels, config.Bilevel.Augmenter(spec.Seeds.Augmenter)), null)
            : spec.Method.CreateStep(context);
        return new Harness
        {
            Model = model,
            Optimizer = optimizer,
            Train = train,
            Validation = validation,
            Step = step,
            StepsPerUnit = mode is Mode.K1Exact or Mode.K1Fd or Mode.K2Exact ? config.InnerSteps : 1,
        };
    }

    // Median milliseconds per training batch of each mode; a unit is one step (K = 1) or one window
    // of K steps. The modes take turns unit by unit, so that a change in the machine's load during
    // the run affects all of them alike and the ratios stay fair.
    private (Dictionary<Mode, double> Times, Dictionary<string, IReadOnlyList<PhaseTime>> Phases) TimeModes(
        string modelName, PreparedData data, int steps, CancellationToken cancellationToken)
    {
        var modes = Enum.GetValues<Mode>();
        var harnesses = new List<Harness>();
        var enumerators = new List<IEnumerator<(Tensor Images, Tensor Labels)>>();
        var times = modes.ToDictionary(m => m, _ => new List<double>());
        var phaseTotals = modes.ToDictionary(m => m, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        var phaseOrder = modes.ToDictionary(m => m, _ => new List<string>());
        bool wasEnabled = StepProfiler.Enabled;
        try
        {
            foreach (var mode in modes)
            {
                var harness = Build(modelName, data, mode);
                harnesses.Add(harness);
                enumerators.Add(Batches(harness.Train).GetEnumerator());
            }
            for (int unit = 0; unit < _options.WarmupSteps + steps; unit++)
            {
                bool timed = unit >= _options.WarmupSteps;
                for (int m = 0; m < modes.Length; m++)
                {
                    var harness = harnesses[m];
                    StepProfiler.Enabled = timed && _options.Profile;
                    StepProfiler.Reset();
                    double ms = RunUnit(harness, enumerators[m], cancellationToken);
                    if (timed)
                    {
                        times[modes[m]].Add(ms / harness.StepsPerUnit);
                        foreach (var phase in StepProfiler.PerStep(harness.StepsPerUnit))
                        {
                            if (!phaseTotals[modes[m]].ContainsKey(phase.Phase))
                            {
                                phaseOrder[modes[m]].Add(phase.Phase);
                            }
                            phaseTotals[modes[m]][phase.Phase] = phaseTotals[modes[m]].GetValueOrDefault(phase.Phase) + phase.Milliseconds;
                        }
                    }
                }
            }
        }
        finally
        {
            StepProfiler.Enabled = wasEnabled;
            StepProfiler.Reset();
            foreach (var e in enumerators)
            {
                e.Dispose();
            }
            foreach (var h in harnesses)
            {
                h.Dispose();
            }
        }
        var phases = new Dictionary<string, IReadOnlyList<PhaseTime>>(StringComparer.Ordinal);
        if (_options.Profile)
        {
            foreach (var mode in modes)
            {
                phases[Label(mode)] = phaseOrder[mode].Select(p => new PhaseTime(p, phaseTotals[mode][p] / steps)).ToList();
            }
        }
        return (modes.ToDictionary(m => m, m => Median(times[m])), phases);
    }

    // For each K (ascending): the exact bilevel step's time per real step (median window / K) and
    // the peak RSS while its windows ran (the high-water mark is reset before each K; memory the
    // allocator kept from a smaller K is reused, so the peaks grow with K as the graph does). Plain
    // steps measured the same way first give the baseline. Not interleaved: each K runs alone.
    private List<InnerStepSpeed> TimeInnerSteps(string modelName, PreparedData data, int windows, double plainMs, CancellationToken cancellationToken)
    {
        double? Peak(Harness harness)
        {
            ProcessMemory.ResetPeak();
            RunWindows(harness, _options.WarmupSteps, cancellationToken);
            return ProcessMemory.PeakResidentMegabytes();
        }
        double? plainPeak;
        using (var plain = Build(modelName, data, Mode.Plain))
        {
            plainPeak = Peak(plain);
        }
        var results = new List<InnerStepSpeed>();
        foreach (var k in _options.InnerSteps.Distinct().Order())
        {
            using var harness = Build(modelName, data, Mode.K1Exact, innerSteps: k);
            ProcessMemory.ResetPeak();
            var times = RunWindows(harness, _options.WarmupSteps + windows, cancellationToken).Skip(_options.WarmupSteps).ToList();
            double? peak = ProcessMemory.PeakResidentMegabytes();
            double perStep = Median(times) / k;
            results.Add(new InnerStepSpeed(k, perStep, perStep / plainMs, peak, peak is double p && plainPeak is double b ? p - b : null));
        }
        return results;
    }

    // Runs the harness for this many units and returns each unit's milliseconds.
    private static List<double> RunWindows(Harness harness, int units, CancellationToken cancellationToken)
    {
        using var batches = Batches(harness.Train).GetEnumerator();
        var times = new List<double>();
        for (int unit = 0; unit < units; unit++)
        {
            times.Add(RunUnit(harness, batches, cancellationToken));
        }
        return times;
    }

    // One unit of the harness (its K steps, one dispose scope per step); milliseconds of the steps alone.
    private static double RunUnit(Harness harness, IEnumerator<(Tensor Images, Tensor Labels)> batches, CancellationToken cancellationToken)
    {
        double ms = 0;
        for (int k = 0; k < harness.StepsPerUnit; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The batch is taken outside the step's scope: the sampler's epoch order must outlive it.
            batches.MoveNext();
            var (images, labels) = batches.Current;
            using var _i = images;
            using var _l = labels;
            using var scope = NewDisposeScope();
            var unitImages = PreparedData.ToUnit(images, CPU);
            long start = Stopwatch.GetTimestamp();
            harness.Step.Run(unitImages, labels, Lr);
            ms += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return ms;
    }

    // RSS (MiB) every SoakSampleInterval steps over SoakSteps bilevel steps, after a warm-up.
    private List<double> Soak(string modelName, PreparedData data, CancellationToken cancellationToken)
    {
        using var harness = Build(modelName, data, Mode.K1Exact);
        using var batches = Batches(harness.Train).GetEnumerator();
        int warmup = Math.Max(_options.WarmupSteps, Math.Min(50, _options.SoakSteps / 10));
        var samples = new List<double>();
        for (int step = 0; step < warmup + _options.SoakSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (step >= warmup && (step - warmup) % _options.SoakSampleInterval == 0 && ProcessMemory.ResidentMegabytes() is double rss)
            {
                samples.Add(rss);
            }
            batches.MoveNext();
            var (images, labels) = batches.Current;
            using var _i = images;
            using var _l = labels;
            using var scope = NewDisposeScope();
            harness.Step.Run(PreparedData.ToUnit(images, CPU), labels, Lr);
        }
        if (ProcessMemory.ResidentMegabytes() is double last)
        {
            samples.Add(last);
        }
        return samples;
    }

    private IReadOnlyList<DataPathSpeed> TimeDataPath(PreparedData data, CancellationToken cancellationToken)
    {
        var results = new List<DataPathSpeed>();
        int reps = _options.Steps;
        var seeds = new SeedStreams(_options.Seed);
        using var augmentGenerator = new Generator((ulong)seeds.FixedAugmentation);
        foreach (var name in FixedAugmentations)
        {
            var augmentation = FixedAugmentationParser.Parse(name, data.Channels);
            using var sampler = new BatchSampler(data.Train, _options.BatchSize, seed: seeds.BatchOrder, dropLast: true);
            using var batches = Batches(sampler).GetEnumerator();
            var times = new List<double>();
            for (int i = 0; i < _options.WarmupSteps + reps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long start = Stopwatch.GetTimestamp();
                batches.MoveNext();
                var (images, labels) = batches.Current;
                using var _i = images;
                using var _l = labels;
                using var scope = NewDisposeScope();
                var unit = PreparedData.ToUnit(augmentation.Apply(images, augmentGenerator), CPU);
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                GC.KeepAlive(unit);
                if (i >= _options.WarmupSteps)
                {
                    times.Add(ms);
                }
            }
            results.Add(Speed($"batch+{name}", Median(times)));
        }

        using (var augmenter = AugmenterFactory.Create(AugmenterKind, data.Channels, new AugmenterOptions { Seed = seeds.Augmenter }))
        using (var sampler = new BatchSampler(data.Train, _options.BatchSize, seed: seeds.BatchOrder, dropLast: true))
        {
            using var batches = Batches(sampler).GetEnumerator();
            var frozen = new List<double>();
            var withGraph = new List<double>();
            for (int i = 0; i < _options.WarmupSteps + reps; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batches.MoveNext();
                using var images = batches.Current.Images;
                using var labels = batches.Current.Labels;
                using var scope = NewDisposeScope();
                var unit = PreparedData.ToUnit(images, CPU);
                long start = Stopwatch.GetTimestamp();
                using (no_grad())
                {
                    GC.KeepAlive(augmenter.Augment(unit).Images);
                }
                double noGradMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                GC.KeepAlive(augmenter.Augment(unit).Images);
                double graphMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (i >= _options.WarmupSteps)
                {
                    frozen.Add(noGradMs);
                    withGraph.Add(graphMs);
                }
            }
            results.Add(Speed($"{AugmenterKind} forward (no grad)", Median(frozen)));
            results.Add(Speed($"{AugmenterKind} forward (graph)", Median(withGraph)));
        }
        return results;
    }

    private DataPathSpeed Speed(string name, double ms) => new(name, ms, _options.BatchSize * 1000.0 / ms, null);

    // Endless batches: epoch after epoch.
    private static IEnumerable<(Tensor Images, Tensor Labels)> Batches(BatchSampler sampler)
    {
        while (true)
        {
            foreach (var batch in sampler.Epoch())
            {
                yield return batch;
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }
}
