using System.Text.Json;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.Data;
using Dabo.IO;
using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Runs;
using static TorchSharp.torch;

namespace Dabo;

/// <summary>
/// What <see cref="DaboTrainer"/> returns: the trained classifier (in evaluation mode, on the CPU), the normalization
/// its inputs need, the learned augmenter or policy when the method learned one, and the run's summary. One file holds
/// it all: <see cref="Save"/> and <see cref="Load"/>.
/// </summary>
public sealed class TrainedClassifier : IDisposable
{
    private const string Magic = "DABO-TRAINED-v1";
    private const string Remedy = "save the trained classifier again";

    internal TrainedClassifier(nn.Module<Tensor, Tensor> module, bool isCustom, TrainingConfig config, RunSummary summary,
        double[] mean, double[] std, IReadOnlyList<string> classNames, int[] imageShape, Augmenter? augmenter, PolicyDistribution? policy)
    {
        Module = module;
        IsCustomModule = isCustom;
        Config = config;
        Summary = summary;
        Mean = mean;
        Std = std;
        ClassNames = classNames;
        ImageShape = imageShape;
        Augmenter = augmenter;
        Policy = policy;
        Module.eval();
    }

    /// <summary>The classifier (evaluation mode): normalized float images <c>[N, C, H, W]</c> to logits <c>[N, classes]</c>.</summary>
    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Whether <see cref="Module"/> came from <see cref="TrainingOptions.Model"/> (then <see cref="Load"/> needs the same factory).</summary>
    public bool IsCustomModule { get; }

    /// <summary>The configuration it was trained with.</summary>
    public TrainingConfig Config { get; }

    /// <summary>The run's summary (accuracies, epochs, wall time).</summary>
    public RunSummary Summary { get; }

    /// <summary>Per-channel mean of the training images in [0, 1] units (the normalization).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviation of the training images in [0, 1] units.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Image shape [channels, height, width].</summary>
    public IReadOnlyList<int> ImageShape { get; }

    /// <summary>The learned augmenter (<c>learned-affine</c>, …, or a transferred one), or null.</summary>
    public Augmenter? Augmenter { get; }

    /// <summary>The learned policy (<c>learned-policy</c>), or null.</summary>
    public PolicyDistribution? Policy { get; }

    /// <summary>Maps [0, 1] images to the classifier's input (subtract <see cref="Mean"/>, divide by <see cref="Std"/>).</summary>
    public Tensor Normalize(Tensor unitImages)
    {
        ArgumentNullException.ThrowIfNull(unitImages);
        int c = ImageShape[0];
        using var mean = tensor(Mean.Select(m => (float)m).ToArray(), [1, c, 1, 1], device: unitImages.device);
        using var std = tensor(Std.Select(s => (float)Math.Max(s, 1e-6)).ToArray(), [1, c, 1, 1], device: unitImages.device);
        return unitImages.sub(mean).div_(std);
    }

    /// <summary>Predicted labels <c>[N]</c> (int64) of uint8 images <c>[N, C, H, W]</c>.</summary>
    public Tensor Predict(Tensor images)
    {
        using var probabilities = Probabilities(images);
        return probabilities.argmax(1);
    }

    /// <summary>Class probabilities <c>[N, classes]</c> (float32, softmax of the logits) of uint8 images <c>[N, C, H, W]</c>.</summary>
    public Tensor Probabilities(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var unit = images.to_type(ScalarType.Float32).div(255f);
        return nn.functional.softmax(Module.call(Normalize(unit)), 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Classifies image files: each file, or every image in a folder (recursively), is decoded as the run's channels
    /// and resized to its image size where it differs (as <c>--image-size</c> does), normalized like the training images.
    /// </summary>
    /// <param name="paths">Image files or folders.</param>
    /// <param name="batchSize">Images decoded and classified at once.</param>
    /// <returns>One prediction per image, in the order of <see cref="ImageFiles.Expand"/>.</returns>
    /// <exception cref="DaboException">A missing path, or files that are not images (all named in one line).</exception>
    public IReadOnlyList<ImagePrediction> Predict(IEnumerable<string> paths, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var files = ImageFiles.Expand(paths);
        var predictions = new List<ImagePrediction>(files.Count);
        Module.eval();
        for (int start = 0; start < files.Count; start += batchSize)
        {
            var chunk = files.Skip(start).Take(batchSize).ToList();
            using var images = ImageFiles.Read(chunk, ImageShape[0], ImageShape[1], ImageShape[2]);
            using var probabilities = Probabilities(images);
            var p = probabilities.to_type(ScalarType.Float64).data<double>().ToArray();
            int k = ClassNames.Count;
            for (int i = 0; i < chunk.Count; i++)
            {
                double[] row = p[(i * k)..((i + 1) * k)];
                int label = Array.IndexOf(row, row.Max());
                predictions.Add(new ImagePrediction(chunk[i], label, ClassNames[label], row));
            }
        }
        return predictions;
    }

    /// <summary>The learned policy's most likely operations per slot (name, probability), most likely first; empty without a policy.</summary>
    /// <param name="top">Operations per slot.</param>
    public IReadOnlyList<IReadOnlyList<(string Operation, double Probability)>> TopOperations(int top = 3)
    {
        if (Policy is null)
        {
            return [];
        }
        using var probabilities = Policy.OperationProbabilities();
        var p = probabilities.to_type(ScalarType.Float64).data<double>().ToArray();
        int count = Policy.Space.Count;
        return [.. Enumerable.Range(0, Policy.Slots).Select(s => (IReadOnlyList<(string, double)>)[.. Enumerable.Range(0, count)
            .Select(o => (Policy.Space.Operations[o].Name, p[(s * count) + o]))
            .OrderByDescending(x => x.Item2)
            .Take(top)])];
    }

    /// <summary>Writes everything to one checksummed file (atomically).</summary>
    /// <param name="path">The file, e.g. <c>classifier.dabo</c>.</param>
    public void Save(string path)
    {
        string? policyJson = null;
        if (Policy is not null)
        {
            string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dabo-policy-{Guid.NewGuid():N}.json");
            try
            {
                PolicyFile.Write(Policy, temp, ImageShape[0]);
                policyJson = File.ReadAllText(temp);
            }
            finally
            {
                File.Delete(temp);
            }
        }
        ChecksummedFile.Write(path, w =>
        {
            w.Write(Magic);
            w.Write(Config.ToJson());
            w.Write(JsonSerializer.Serialize(Summary, TrainingConfig.JsonOptions));
            w.Write(JsonSerializer.Serialize(new Header(IsCustomModule, [.. Mean], [.. Std], [.. ClassNames], [.. ImageShape])));
            Module.save(w);
            w.Write(Augmenter is null ? "" : Augmenter.Kind);
            if (Augmenter is not null)
            {
                w.Write(JsonSerializer.Serialize(Augmenter.Options));
                Augmenter.save(w);
            }
            w.Write(policyJson ?? "");
        });
    }

    /// <summary>
    /// Reads a file written by <see cref="Save"/>, or the run directory of <c>dabo train</c> (or of a library run with an
    /// <see cref="TrainingOptions.OutputDirectory"/>): then as <see cref="LoadRun"/> with its final model.
    /// </summary>
    /// <param name="path">The file, or a run directory.</param>
    /// <param name="model">The factory the classifier was trained with, when it was a custom module.</param>
    /// <exception cref="DaboException">A missing or damaged file, or a custom module without its factory.</exception>
    public static TrainedClassifier Load(string path, ModuleFactory? model = null)
    {
        if (Directory.Exists(path))
        {
            return LoadRun(path, model: model);
        }
        if (!File.Exists(path))
        {
            throw new DaboException($"{path}: no such file; pass a file written by TrainedClassifier.Save or a run directory");
        }
        TorchRuntime.EnsureLoaded();
        return ChecksummedFile.Read(path, "trained classifier", Remedy, r =>
        {
            if (r.ReadString() != Magic)
            {
                throw new DaboException($"{path}: not a Dabo trained-classifier file; {Remedy}");
            }
            var config = TrainingConfig.FromJson(r.ReadString(), path);
            var summary = JsonSerializer.Deserialize<RunSummary>(r.ReadString(), TrainingConfig.JsonOptions)!;
            var header = JsonSerializer.Deserialize<Header>(r.ReadString())!;
            int channels = header.ImageShape[0];
            nn.Module<Tensor, Tensor> module = header.Custom
                ? (model ?? throw new DaboException($"{path}: holds a custom classifier module; pass the factory it was trained with to TrainedClassifier.Load"))(channels, header.ClassNames.Length)
                : ModelRegistry.Create(config.Model, channels, header.ClassNames.Length);
            module.load(r);
            string kind = r.ReadString();
            Augmenter? augmenter = null;
            if (kind.Length > 0)
            {
                var options = JsonSerializer.Deserialize<AugmenterOptions>(r.ReadString())!;
                augmenter = AugmenterFactory.Create(kind, channels, options);
                augmenter.load(r);
                augmenter.eval();
            }
            string policyJson = r.ReadString();
            PolicyDistribution? policy = null;
            if (policyJson.Length > 0)
            {
                string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dabo-policy-{Guid.NewGuid():N}.json");
                try
                {
                    File.WriteAllText(temp, policyJson);
                    policy = PolicyFile.Read(temp).Policy;
                }
                finally
                {
                    File.Delete(temp);
                }
            }
            return new TrainedClassifier(module, header.Custom, config, summary, header.Mean, header.Std, header.ClassNames, header.ImageShape, augmenter, policy);
        });
    }

    /// <summary>
    /// Loads a finished run directory: its <c>model.bin</c> (or <c>best_model.bin</c>), the normalization, classes and
    /// image shape of its <c>data.json</c> (recomputed from its dataset for runs older than that file), and its learned
    /// augmenter or policy.
    /// </summary>
    /// <param name="runDirectory">A run written by <c>dabo train</c> or <see cref="DaboTrainer"/>.</param>
    /// <param name="best">Load the best-validation model instead of the final one.</param>
    /// <param name="model">The factory the classifier was trained with, when it was a custom module.</param>
    /// <param name="cacheDirectory">Decoded-image cache, used only for a run without <c>data.json</c>.</param>
    /// <exception cref="DaboException">Not a run, an unfinished run, or a damaged file (one line).</exception>
    public static TrainedClassifier LoadRun(string runDirectory, bool best = false, ModuleFactory? model = null, string? cacheDirectory = null)
    {
        var run = new RunDirectory(runDirectory);
        var config = run.LoadConfig();
        string modelFile = best ? run.BestModelFile : run.ModelFile;
        var summary = run.LoadSummary();
        if (summary is null || !File.Exists(modelFile))
        {
            throw new DaboException($"{(summary is null ? run.SummaryFile : modelFile)}: not found; the run has not finished (resume it with 'dabo train ... --resume')");
        }
        TorchRuntime.Initialize();
        var data = RunDataFile.Read(run, config, cacheDirectory);
        return FromRun(run, config, summary, data, model, modelFile);
    }

    // The model, augmenter and policy of a run directory.
    internal static TrainedClassifier FromRun(RunDirectory run, TrainingConfig config, RunSummary summary, DataDescription data, ModuleFactory? factory, string modelFile)
    {
        int channels = data.ImageShape[0];
        const string Remedy = "train the run again to rewrite it";
        nn.Module<Tensor, Tensor> module;
        if (factory is not null)
        {
            var wrapper = new ModuleClassifier(factory(channels, data.ClassNames.Count), channels, data.ClassNames.Count);
            ClassifierFile.Load(wrapper, modelFile, Remedy);
            module = wrapper.Inner;
        }
        else
        {
            var classifier = ModelRegistry.Create(config.Model, channels, data.ClassNames.Count);
            ClassifierFile.Load(classifier, modelFile, Remedy);
            module = classifier;
        }
        var spec = RunSpec.From(config);
        // The augmenter (if any) passes to the classifier, which disposes it.
        var artifacts = spec.Method.LoadArtifacts(run, channels, spec.Seeds.Augmenter);
        var policy = artifacts.PolicyFile is { } file ? PolicyFile.Read(file).Policy : null;
        var augmenter = artifacts.Augmenter;
        return new TrainedClassifier(module, factory is not null, config, summary, data.Mean, data.Std, data.ClassNames, data.ImageShape, augmenter, policy);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Module.Dispose();
        Augmenter?.Dispose();
        Policy?.Dispose();
    }

    private sealed record Header(bool Custom, double[] Mean, double[] Std, string[] ClassNames, int[] ImageShape);
}
