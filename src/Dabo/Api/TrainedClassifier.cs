using System.Text.Json;
using Dabo.Augmentation.Learned;
using Dabo.Augmentation.Policies;
using Dabo.IO;
using Dabo.Models;
using Dabo.Training;
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
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var unit = images.to_type(ScalarType.Float32).div(255f);
        return Module.call(Normalize(unit)).argmax(1).MoveToOuterDisposeScope();
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

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The factory the classifier was trained with, when it was a custom module.</param>
    /// <exception cref="DaboException">A missing or damaged file, or a custom module without its factory.</exception>
    public static TrainedClassifier Load(string path, ModuleFactory? model = null)
    {
        if (!File.Exists(path))
        {
            throw new DaboException($"{path}: no such file; pass a file written by TrainedClassifier.Save");
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

    /// <inheritdoc />
    public void Dispose()
    {
        Module.Dispose();
        Augmenter?.Dispose();
        Policy?.Dispose();
    }

    private sealed record Header(bool Custom, double[] Mean, double[] Std, string[] ClassNames, int[] ImageShape);
}
