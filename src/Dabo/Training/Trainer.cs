using System.Diagnostics;
using System.Text.Json;
using Dabo.Augmentation;
using Dabo.Data;
using Dabo.IO;
using Dabo.Models;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>
/// The one training loop of every method: per epoch, train on augmented batches, then evaluate
/// on validation and test; model selection by validation accuracy only; a checkpoint after each
/// epoch so that a run can be resumed to the same final metrics.
/// </summary>
public sealed class Trainer
{
    private const string CheckpointMagic = "DABO-CHECKPOINT-v3";
    private const string CheckpointMagicWithoutTimes = "DABO-CHECKPOINT-v2"; // still read: its runs resume with the time breakdown from zero
    private const string CheckpointRemedy = "it cannot be resumed: remove the run directory and train again without --resume, or use another --out";
    private const int PreviewImages = 16;
    private const int CleanTrainEvalImages = 1000;

    private readonly RunSpec _spec;
    private readonly TrainingConfig _config;
    private readonly RunDirectory _run;
    private readonly ITrainingObserver _observer;

    /// <summary>Creates a trainer for one run.</summary>
    /// <param name="config">The run's configuration (checked and resolved here, <see cref="RunSpec.From"/>).</param>
    /// <param name="outDirectory">The run directory.</param>
    /// <param name="observer">Progress receiver, or null for none.</param>
    public Trainer(TrainingConfig config, string outDirectory, ITrainingObserver? observer = null)
        : this(RunSpec.From(config), outDirectory, observer)
    {
    }

    /// <summary>Creates a trainer for one run.</summary>
    /// <param name="spec">The run, parsed and checked.</param>
    /// <param name="outDirectory">The run directory.</param>
    /// <param name="observer">Progress receiver, or null for none.</param>
    public Trainer(RunSpec spec, string outDirectory, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _config = spec.Config;
        _run = new RunDirectory(outDirectory);
        _observer = observer ?? SilentObserver.Instance;
    }

    /// <summary>Where the cache of decoded image folders lives (null: the default).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>CPU threads (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Builds the classifier from (channels, classes) instead of <see cref="TrainingConfig.Model"/> (the typed API's custom modules).</summary>
    internal Func<int, int, Classifier>? ModelFactory { get; init; }

    /// <summary>
    /// The claim on the run directory when the caller holds it already (a <c>RunQueue</c> claims a run before it
    /// looks at it); null: <see cref="Run"/> claims the directory itself.
    /// </summary>
    internal RunClaim? HeldClaim { get; init; }

    /// <summary>Never evaluates the test split (a proxy run of <c>auto</c>, which chooses on validation only); its test accuracies are NaN.</summary>
    internal bool SkipTest { get; init; }

    /// <summary>Data held in memory, used instead of loading <see cref="TrainingConfig.Dataset"/> (owned by the caller).</summary>
    internal Dataset? InMemoryData { get; init; }

    /// <summary>What the last <see cref="Run"/> trained on: normalization, classes and image shape.</summary>
    internal DataDescription? Prepared { get; private set; }

    private Classifier CreateModel(int channels, int classes) =>
        ModelFactory?.Invoke(channels, classes) ?? ModelRegistry.Create(_spec.Classifier.Model, channels, classes);

    /// <summary>
    /// Trains (or resumes) the run and returns its summary. Cancellation stops between steps and
    /// leaves the last end-of-epoch checkpoint, so at most the epoch in progress is lost.
    /// </summary>
    public RunSummary Run(bool resume = false, CancellationToken cancellationToken = default)
    {
        if (_spec.Method.Chooses)
        {
            return RunChoosing(resume, cancellationToken);
        }
        TorchRuntime.Initialize(Threads);
        var device = ComputeDevice.Resolve(_spec.Classifier.Device);
        var method = _spec.Method;
        if (ModelFactory is null)
        {
            ModelRegistry.Validate(_spec.Classifier.Model);
        }
        // Everything that can be refused (data, --train-size, learned:DIR, memory) is loaded and checked
        // before the run directory is created: a refused command leaves no config.json behind.
        bool hasCheckpoint = _run.Check(_config, resume);

        using var loaded = InMemoryData is null ? DatasetLoader.Load(_spec.Data.Dataset, CacheDirectory, _spec.Data.ImageSize, _spec.Data.MaxImagePixels) : null;
        var dataset = loaded ?? InMemoryData!;
        using var data = PreparedData.Create(dataset, _spec.Data.TrainSize, _spec.Data.ValRatio, _spec.Data.TrainOnValidation, _spec.Data.DataSeed);
        Prepared = new DataDescription(data.Mean, data.Std, data.ClassNames, [.. data.Test.Shape]);
        if (data.ValidationFromDataset)
        {
            _observer.Warning($"{_spec.Data.Dataset}: validation split is the dataset's val/ folder ({data.Validation.Count} images); --val-ratio is ignored");
        }
        foreach (var warning in method.CheckData(data.Channels, data.Validation.Count, data.Train.Count))
        {
            _observer.Warning(warning);
        }
        var fixedAugmentation = method.CreateFixed(data.Channels, _spec.Data.Flip);

        if (ModelFactory is null)
        {
            ModelMemory.Check(_spec.Classifier.Model, data.Channels, data.Test.Shape[1], data.Test.Shape[2], data.ClassNames.Count, _spec.Sgd.BatchSize, method.IsLearned);
        }

        torch.manual_seed(_spec.Seed);
        using var model = CreateModel(data.Channels, data.ClassNames.Count);
        if (_spec.Classifier.Init is not null && !hasCheckpoint)
        {
            foreach (var note in PretrainedWeights.Load(model, _spec.Classifier.Init))
            {
                _observer.Warning(note);
            }
        }
        // While the head trains alone, every other parameter is frozen (BatchNorm's running statistics still adapt).
        bool[] frozenWhileHeadTrains = [.. model.named_parameters().Select(p => !p.name.StartsWith(PretrainedWeights.HeadPrefix, StringComparison.Ordinal))];
        if (_spec.Classifier.FreezeEpochs > 0 && frozenWhileHeadTrains.All(f => f))
        {
            throw new DaboException($"--freeze-epochs {_spec.Classifier.FreezeEpochs}: the classifier has no '{PretrainedWeights.HeadPrefix}*' layer to train alone (a custom module?); drop --freeze-epochs");
        }
        string initialWeights = RunFingerprint.Weights(model); // before a checkpoint replaces them
        model.to(device);
        model.train();
        using var optimizer = new SgdMomentum(model.Weights, _spec.Sgd.Momentum, _spec.Sgd.WeightDecay, _spec.Sgd.Nesterov);
        var seeds = _spec.Seeds;
        using var sampler = new BatchSampler(data.Train, _spec.Sgd.BatchSize, seed: seeds.BatchOrder);
        using var augmentGenerator = new Generator((ulong)seeds.FixedAugmentation);
        using var validationStream = new BatchSampler(data.Validation.Count > 0 ? data.Validation : data.Train, _spec.Sgd.BatchSize, seed: seeds.ValidationOrder);
        Tensor Normalize(Tensor unit) => data.Normalize(unit);
        using var step = method.CreateStep(new StepContext(seeds, model, optimizer, Normalize, device, data, validationStream));

        if (!hasCheckpoint)
        {
            OutputPaths.EnsureSpace("--out", _run.Path, RunDirectory.EstimatedBytes(model.ParameterCount));
        }
        // One writer per run directory: a second process on the same --out is refused here, before it writes
        // anything. Under the claim the directory is checked again: another process may have made (or
        // finished) the run since the first look.
        using var claim = HeldClaim is null ? _run.Claim() : null;
        hasCheckpoint = _run.Check(_config, resume);
        _run.Create(_config);
        if (!hasCheckpoint)
        {
            // A resumed run keeps the file it has (or recomputes it when read): a refused resume changes nothing.
            RunDataFile.Write(_run, Prepared);
        }

        var schedule = new LearningRateSchedule(_spec.Sgd.Schedule, _spec.Sgd.Lr,
            (long)_spec.Sgd.Epochs * sampler.BatchesPerEpoch, (long)Math.Round(_spec.Sgd.WarmupEpochs * sampler.BatchesPerEpoch));

        var state = new LoopState();
        if (hasCheckpoint)
        {
            state = LoadCheckpoint(model, optimizer, sampler, augmentGenerator, validationStream, step);
        }
        // The checkpoint holds every finished epoch's line: metrics.jsonl is rewritten from it, which
        // restores a line lost (or cut short) by a kill between the checkpoint and the metrics write.
        var metrics = state.Metrics;
        _run.WriteMetrics(metrics);
        _observer.RunStarted(_config, _run.Path, data.Train.Count, data.Validation.Count, data.Test.Count, sampler.BatchesPerEpoch, state.Epoch);

        // Divergence is judged against the first loss of this process (a resumed run restarts the reference).
        var divergence = new DivergenceWatch(step.AugmenterParameterNorm());
        using var previewIndex = arange(Math.Min(PreviewImages, data.Train.Count), ScalarType.Int64);
        var times = state.Times;
        step.Times = times;
        for (int epoch = state.Epoch + 1; epoch <= _spec.Sgd.Epochs; epoch++)
        {
            optimizer.Frozen = epoch <= _spec.Classifier.FreezeEpochs ? frozenWhileHeadTrains : null;
            var watch = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int stepInEpoch = 0;
            double lr = schedule.At(state.GlobalStep);
            long waitStart = Stopwatch.GetTimestamp();
            foreach (var batch in TrainingBatches.Epoch(sampler, fixedAugmentation, augmentGenerator, ahead: fixedAugmentation is not null))
            {
                using var _b = batch;
                times.AddSince(RunTimes.Augmentation, waitStart);
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var (images, labels) = (batch.Images, batch.Labels);
                lr = schedule.At(state.GlobalStep);
                long stepStart = Stopwatch.GetTimestamp();
                double reportedByStep = times.Total;
                var unit = PreparedData.ToUnit(batch.Augmented, device);
                var y = labels.to(device);
                var (loss, batchCorrect) = step.Run(unit, y, lr);
                double lossValue = loss.ToDouble();
                // The step reports its own augmentation and augmenter updates; the rest is the classifier's.
                times.Add(RunTimes.Steps, Stopwatch.GetElapsedTime(stepStart).TotalSeconds - (times.Total - reportedByStep));
                stepInEpoch++;
                if (divergence.Observe(lossValue, step.AugmenterParameterNorm()))
                {
                    bool removed = state.Epoch == 0 && !hasCheckpoint && RemoveUnfinishedRun();
                    throw new DaboException(divergence.Message(lossValue, epoch, stepInEpoch, lr, _config, state.Epoch, _run.Path, removed));
                }
                lossSum += lossValue * images.shape[0];
                correct += batchCorrect.item<long>();
                seen += images.shape[0];
                state.GlobalStep++;
                _observer.StepCompleted(epoch, stepInEpoch, sampler.BatchesPerEpoch, lossValue, lr);
                waitStart = Stopwatch.GetTimestamp();
            }

            step.Flush();
            bool evaluateTest = !SkipTest && (epoch % _spec.TestEvery == 0 || epoch == _spec.Sgd.Epochs);
            // Clean training images only where the test split is evaluated too (--test-every, the last epoch):
            // the report's dashed loss curve and TensorBoard are their only readers.
            bool measureClean = evaluateTest && (fixedAugmentation is not null || method.IsLearned);
            var line = EvaluateEpoch(model, data, device, epoch, lr, lossSum / Math.Max(1, seen), (double)correct / Math.Max(1, seen), measureClean, evaluateTest, times, cancellationToken);
            long outputStart = Stopwatch.GetTimestamp();
            WritePreview(step, fixedAugmentation, data.Train, previewIndex, device);
            times.AddSince(RunTimes.Output, outputStart);
            line = step.CompleteEpoch(line with { Seconds = Math.Round(watch.Elapsed.TotalSeconds, 3) });

            // Selection by validation accuracy only; without a validation split, the last epoch.
            long checkpointStart = Stopwatch.GetTimestamp();
            if (line.ValAccuracy is not double val || val > state.BestVal)
            {
                state.BestVal = line.ValAccuracy ?? double.NaN;
                state.BestEpoch = epoch;
                ClassifierFile.Save(model, _run.BestModelFile);
            }
            state.Epoch = epoch;
            metrics.Add(line);
            // The epoch's time so far is in this checkpoint; the checkpoint's own time and the metrics write
            // are added after it (kept by the next checkpoint, and in memory for this process's summary).
            double beforeCheckpoint = watch.Elapsed.TotalSeconds;
            state.Seconds += beforeCheckpoint;
            times.AddSince(RunTimes.Checkpoint, checkpointStart);
            long saveStart = Stopwatch.GetTimestamp();
            SaveCheckpoint(state, model, optimizer, sampler, augmentGenerator, validationStream, step);
            times.AddSince(RunTimes.Checkpoint, saveStart);
            long metricsStart = Stopwatch.GetTimestamp();
            _run.WriteMetrics(metrics);
            times.AddSince(RunTimes.Output, metricsStart);
            _observer.EpochCompleted(line, _config);
            state.Seconds += watch.Elapsed.TotalSeconds - beforeCheckpoint;
        }

        ClassifierFile.Save(model, _run.ModelFile);
        step.SaveArtifacts(_run);
        var last = metrics[^1];
        double testAtBest = SkipTest ? double.NaN : TestAccuracyOf(_run.BestModelFile, data, device, cancellationToken);
        var summary = new RunSummary
        {
            Method = method.Text,
            Model = _spec.Classifier.Model,
            Dataset = _spec.Data.Dataset,
            Seed = _spec.Seed,
            Epochs = _spec.Sgd.Epochs,
            TrainImages = data.Train.Count,
            ValImages = data.Validation.Count,
            TestImages = data.Test.Count,
            ValAccuracy = last.ValAccuracy,
            TestAccuracy = last.TestAccuracy ?? double.NaN,
            BestValEpoch = state.BestEpoch,
            BestValAccuracy = data.Validation.Count > 0 ? state.BestVal : null,
            TestAccuracyAtBestVal = testAtBest,
            WallSeconds = Math.Round(state.Seconds, 2),
            SecondsPerEpoch = Math.Round(state.Seconds / _spec.Sgd.Epochs, 3),
            SubsetSha256 = RunFingerprint.Subset(data.LabelledIndices),
            InitialWeightsSha256 = initialWeights,
            TimeBreakdown = times.ToDictionary(state.Seconds),
            Augmenter = last.Augmenter,
        };
        AtomicFile.WriteAllText(_run.SummaryFile, JsonSerializer.Serialize(summary, TrainingConfig.JsonOptions));
        return summary;
    }

    // The files of the chosen method's run that the run directory itself holds, for eval, predict, export and reports.
    private static readonly string[] ChosenRunFiles = ["model.bin", "best_model.bin", "data.json", "metrics.jsonl", "augment.png"];

    // A method that chooses another one (auto): its sub-runs (proxies, then the chosen method, in final/) live inside
    // the run directory and resume with it; the run directory then holds the chosen run's model and metrics, and a
    // summary whose wall time counts every sub-run.
    private RunSummary RunChoosing(bool resume, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize(Threads);
        _run.Check(_config, resume, checkpointsInSubRuns: true);
        using var claim = HeldClaim is null ? _run.Claim() : null;
        _run.Check(_config, resume, checkpointsInSubRuns: true);
        _run.Create(_config);
        RunSummary Train(TrainingConfig config, string directory, bool proxy)
        {
            var sub = new RunDirectory(directory);
            if (System.IO.File.Exists(sub.SummaryFile))
            {
                if (sub.LoadConfig() != config)
                {
                    throw new DaboException($"--out {directory}: holds a finished sub-run of another configuration; delete it and resume to train it again");
                }
                return JsonSerializer.Deserialize<RunSummary>(System.IO.File.ReadAllText(sub.SummaryFile), TrainingConfig.JsonOptions)
                    ?? throw new DaboException($"{sub.SummaryFile}: empty; delete {directory} and resume");
            }
            var trainer = new Trainer(config, directory, _observer) { Threads = Threads, CacheDirectory = CacheDirectory, InMemoryData = InMemoryData, ModelFactory = ModelFactory, SkipTest = proxy };
            var summary = trainer.Run(resume: sub.IsRun, cancellationToken);
            Prepared = trainer.Prepared;
            return summary;
        }
        double proxySeconds = 0;
        string chosen = _spec.Method.Choose(_config, _run, (config, directory) =>
        {
            proxySeconds += Train(config, directory, proxy: true).WallSeconds;
            return new RunDirectory(directory);
        }) ?? throw new InvalidOperationException("a choosing method chose nothing");
        var final = new RunDirectory(_run.File("final"));
        var summary = Train(_config with { Augment = chosen, MethodOptions = null }, final.Path, proxy: false);
        foreach (var name in ChosenRunFiles.Where(n => System.IO.File.Exists(final.File(n))))
        {
            AtomicFile.Write(_run.File(name), target =>
            {
                using var source = System.IO.File.OpenRead(final.File(name));
                source.CopyTo(target);
            });
        }
        // The proxies are the method's own extra work: their time joins the wall time and the breakdown.
        var breakdown = new Dictionary<string, double>(StringComparer.Ordinal) { [RunTimes.Proxies] = Math.Round(proxySeconds, 3) };
        foreach (var (phase, seconds) in summary.TimeBreakdown ?? new Dictionary<string, double>())
        {
            breakdown[phase] = seconds;
        }
        summary = summary with { Method = _spec.Method.Text, Chosen = chosen, WallSeconds = Math.Round(summary.WallSeconds + proxySeconds, 2), TimeBreakdown = breakdown };
        AtomicFile.WriteAllText(_run.SummaryFile, JsonSerializer.Serialize(summary, TrainingConfig.JsonOptions));
        return summary;
    }

    // A run that diverged before its first epoch finished keeps nothing worth resuming: remove it, so that
    // the same --out works with a lower learning rate.
    private bool RemoveUnfinishedRun()
    {
        try
        {
            Directory.Delete(_run.Path, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Loads and checks everything runs of <paramref name="configs"/> need (data, <c>--train-size</c>,
    /// <c>learned:RUN_DIR</c>, memory) without creating any file, so that a comparison refuses bad input
    /// before its output directory exists. Each distinct data selection is loaded once.
    /// </summary>
    /// <exception cref="DaboException">On the first input a run would refuse.</exception>
    /// <param name="configs">The runs.</param>
    /// <param name="cacheDirectory">Decoded-image cache (null: the default).</param>
    /// <param name="threads">CPU threads (null: all cores).</param>
    /// <param name="outDirectory">Where the runs will be written, checked for free space for all of them; null to skip.</param>
    public static void CheckInputs(IEnumerable<TrainingConfig> configs, string? cacheDirectory = null, int? threads = null, string? outDirectory = null)
    {
        TorchRuntime.Initialize(threads);
        long bytes = 0;
        // Each distinct data selection (mirroring aside, which only fixed augmentations read) is loaded once.
        foreach (var group in configs.Select(RunSpec.From).GroupBy(spec => spec.Data with { Flip = true }))
        {
            foreach (var spec in group)
            {
                ComputeDevice.Resolve(spec.Classifier.Device);
                ModelRegistry.Validate(spec.Classifier.Model);
            }
            var key = group.Key;
            using var dataset = DatasetLoader.Load(key.Dataset, cacheDirectory, key.ImageSize, key.MaxImagePixels);
            using var data = PreparedData.Create(dataset, key.TrainSize, key.ValRatio, key.TrainOnValidation, key.DataSeed);
            foreach (var spec in group)
            {
                string model = spec.Classifier.Model;
                spec.Method.CheckData(data.Channels, data.Validation.Count, data.Train.Count);
                spec.Method.CreateFixed(data.Channels, spec.Data.Flip);
                ModelMemory.Check(model, data.Channels, data.Test.Shape[1], data.Test.Shape[2], data.ClassNames.Count, spec.Sgd.BatchSize, spec.Method.IsLearned);
                bytes = (long)Math.Min(long.MaxValue / 2, (double)bytes + RunDirectory.EstimatedBytes(ModelRegistry.CountParameters(model, data.Channels, data.ClassNames.Count)));
            }
        }
        if (outDirectory is not null)
        {
            OutputPaths.EnsureSpace("--out", outDirectory, bytes);
        }
    }

    // The best-validation model, reloaded and evaluated on the test split once, at the end.
    private double TestAccuracyOf(string modelFile, PreparedData data, Device device, CancellationToken cancellationToken)
    {
        using var best = CreateModel(data.Channels, data.ClassNames.Count);
        ClassifierFile.Load(best, modelFile, CheckpointRemedy);
        best.to(device);
        return Math.Round(Evaluator.Evaluate(best, data.Test, data.Normalize, device, cancellationToken: cancellationToken).Accuracy, 6);
    }

    // Cancellation (Ctrl-C) stops the evaluation too: the epoch is not checkpointed, and --resume repeats it.
    private static EpochMetrics EvaluateEpoch(Classifier model, PreparedData data, Device device, int epoch, double lr, double trainLoss, double trainAccuracy, bool measureClean, bool evaluateTest, RunTimes times, CancellationToken cancellationToken)
    {
        Tensor Normalize(Tensor unit) => data.Normalize(unit);
        var test = evaluateTest ? times.Measure(RunTimes.Test, () => Evaluator.Evaluate(model, data.Test, Normalize, device, cancellationToken: cancellationToken)) : null;
        var val = data.Validation.Count > 0 ? times.Measure(RunTimes.Validation, () => Evaluator.Evaluate(model, data.Validation, Normalize, device, cancellationToken: cancellationToken)) : null;
        var clean = measureClean ? times.Measure(RunTimes.CleanTrain, () => Evaluator.Evaluate(model, data.Train, Normalize, device, maxImages: CleanTrainEvalImages, cancellationToken: cancellationToken)) : null;
        return new EpochMetrics
        {
            Epoch = epoch,
            Lr = lr,
            TrainLoss = Math.Round(trainLoss, 6),
            TrainAccuracy = Math.Round(trainAccuracy, 6),
            TrainLossClean = clean is null ? null : Math.Round(clean.Loss, 6),
            TrainAccuracyClean = clean is null ? null : Math.Round(clean.Accuracy, 6),
            ValLoss = val is null ? null : Math.Round(val.Loss, 6),
            ValAccuracy = val is null ? null : Math.Round(val.Accuracy, 6),
            TestLoss = test is null ? null : Math.Round(test.Loss, 6),
            TestAccuracy = test is null ? null : Math.Round(test.Accuracy, 6),
        };
    }

    // Originals (top rows) beside their augmented versions (bottom rows), a fixed set of training images.
    private void WritePreview(TrainingStep step, IFixedAugmentation? fixedAugmentation, ImageSet train, Tensor index, Device device)
    {
        using var scope = NewDisposeScope();
        var (images, _) = train.Gather(index);
        // A separate generator keeps the preview from shifting the training run's random stream.
        using var previewGenerator = new Generator(12345);
        var augmented = fixedAugmentation is null ? images : fixedAugmentation.Apply(images, previewGenerator);
        var original = PreparedData.ToUnit(images, device);
        var shown = step.Preview(PreparedData.ToUnit(augmented, device)).clamp(0, 1);
        var grid = cat([original, shown], 0).cpu();
        if (grid.shape[1] == 1)
        {
            grid = grid.expand(-1, 3, -1, -1);
        }
        AtomicFile.Write(_run.AugmentImageFile, s => torchvision.utils.save_image(grid, s, torchvision.ImageFormat.Png, nrow: index.shape[0], padding: 2, pad_value: 1.0, imager: ImageFolderReader.Imager));
    }

    private sealed class LoopState
    {
        public int Epoch;
        public long GlobalStep;
        public double BestVal = double.NegativeInfinity;
        public int BestEpoch;
        public double Seconds;
        public RunTimes Times = new();
        public List<EpochMetrics> Metrics = [];
    }

    private void SaveCheckpoint(LoopState state, Classifier model, SgdMomentum optimizer, BatchSampler sampler, Generator augmentGenerator, BatchSampler validationStream, TrainingStep step)
    {
        ChecksummedFile.Write(_run.CheckpointFile, w =>
        {
            w.Write(CheckpointMagic);
            w.Write(_config.ToJson());
            w.Write(state.Epoch);
            w.Write(state.GlobalStep);
            w.Write(state.BestVal);
            w.Write(state.BestEpoch);
            w.Write(state.Seconds);
            state.Times.Save(w);
            w.Write(state.Metrics.Count);
            foreach (var line in state.Metrics)
            {
                w.Write(JsonSerializer.Serialize(line, RunDirectory.MetricsJson));
            }
            model.save(w);
            foreach (var buffer in optimizer.Buffers)
            {
                buffer.Save(w);
            }
            sampler.Save(w);
            using (var s = augmentGenerator.get_state())
            {
                s.Save(w);
            }
            validationStream.Save(w);
            using (var s = torch.get_rng_state())
            {
                s.Save(w);
            }
            step.Save(w);
        });
    }

    private LoopState LoadCheckpoint(Classifier model, SgdMomentum optimizer, BatchSampler sampler, Generator augmentGenerator, BatchSampler validationStream, TrainingStep step)
    {
        string file = _run.CheckpointFile;
        var state = ChecksummedFile.Read(file, "checkpoint", CheckpointRemedy, r =>
        {
            string magic = r.ReadString();
            if (magic != CheckpointMagic && magic != CheckpointMagicWithoutTimes)
            {
                throw new DaboException($"{file}: not a checkpoint of this Dabo version; {CheckpointRemedy}");
            }
            var saved = TrainingConfig.FromJson(r.ReadString(), file);
            if (saved != _config)
            {
                throw new DaboException($"{file}: checkpoint of another configuration ({string.Join(", ", saved.DifferingKeys(_config))} differ); use its flags or another --out");
            }
            var state = new LoopState
            {
                Epoch = r.ReadInt32(),
                GlobalStep = r.ReadInt64(),
                BestVal = r.ReadDouble(),
                BestEpoch = r.ReadInt32(),
                Seconds = r.ReadDouble(),
            };
            if (magic == CheckpointMagic)
            {
                state.Times = RunTimes.Load(r);
            }
            int lines = r.ReadInt32();
            if (lines != state.Epoch)
            {
                throw new InvalidDataException($"{lines} metrics lines for {state.Epoch} epochs");
            }
            for (int i = 0; i < lines; i++)
            {
                state.Metrics.Add(JsonSerializer.Deserialize<EpochMetrics>(r.ReadString(), RunDirectory.MetricsJson)
                    ?? throw new InvalidDataException("empty metrics line"));
            }
            model.load(r);
            using (no_grad())
            {
                foreach (var buffer in optimizer.Buffers)
                {
                    buffer.Load(r);
                }
            }
            sampler.Load(r);
            using (var s = TensorExtensionMethods.Load(r))
            {
                augmentGenerator.set_state(s);
            }
            validationStream.Load(r);
            using (var s = TensorExtensionMethods.Load(r))
            {
                torch.set_rng_state(s);
            }
            step.Load(r);
            return state;
        });
        if (state.BestEpoch > 0)
        {
            // The run ends by evaluating best_model.bin: a damaged one is reported now, not after the remaining epochs.
            ChecksummedFile.Verify(_run.BestModelFile, "model", CheckpointRemedy);
        }
        return state;
    }
}
