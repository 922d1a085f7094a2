using Dabo.Data;
using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments;

/// <summary>What <c>dabo eval</c> reports.</summary>
/// <param name="Evaluation">Accuracy, loss and confusion matrix.</param>
/// <param name="ClassNames">Class names.</param>
/// <param name="Dataset">The dataset evaluated.</param>
/// <param name="ModelFile">The weights evaluated.</param>
/// <param name="TtaCopies">Test-time augmentation copies (1: none).</param>
public sealed record RunEvaluationResult(Evaluation Evaluation, IReadOnlyList<string> ClassNames, string Dataset, string ModelFile, int TtaCopies);

/// <summary>Evaluates a saved classifier of a run on a dataset's test split.</summary>
public static class RunEvaluation
{
    /// <summary>Loads the run's final (or best-validation) model and evaluates it.</summary>
    /// <param name="runDirectory">A finished Dabo run.</param>
    /// <param name="dataset">Dataset to evaluate on (null: the run's).</param>
    /// <param name="ttaCopies">Average softmax outputs over this many augmented copies (the run's training augmentation); 1 for none.</param>
    /// <param name="best">Evaluate <c>best_model.bin</c> (best validation epoch) instead of <c>model.bin</c>.</param>
    /// <param name="cacheDirectory">Decoded-image cache.</param>
    public static RunEvaluationResult Evaluate(string runDirectory, string? dataset = null, int ttaCopies = 1, bool best = false, string? cacheDirectory = null)
    {
        var run = new RunDirectory(runDirectory);
        var config = run.LoadConfig();
        if (ttaCopies < 1)
        {
            throw new DaboException($"--tta {ttaCopies}: must be at least 1");
        }
        string modelFile = best ? run.BestModelFile : run.ModelFile;
        if (!Path.Exists(modelFile))
        {
            throw new DaboException($"{modelFile}: not found; the run has not finished (resume it with 'dabo train ... --resume')");
        }
        TorchRuntime.Initialize();
        var device = ComputeDevice.Resolve(config.Device);
        // Normalization statistics are those of the run's own training images.
        using var original = DatasetLoader.Load(config.Dataset, cacheDirectory, config.ImageSize, config.MaxImagePixels);
        using var trainingData = PreparedData.Create(original, config.TrainSize, config.ValRatio, config.TrainOnValidation, config.DataSeed);
        using var other = dataset is null ? null : DatasetLoader.Load(dataset, cacheDirectory, config.ImageSize, config.MaxImagePixels);
        var data = other ?? original;
        if (data.Shape[0] != trainingData.Channels)
        {
            throw new DaboException($"{dataset}: has {data.Shape[0]}-channel images but the run's model was trained on {trainingData.Channels}");
        }
        if (data.ClassCount != trainingData.ClassNames.Count)
        {
            throw new DaboException($"{dataset}: has {data.ClassCount} classes but the run's model has {trainingData.ClassNames.Count}");
        }
        using var model = ModelRegistry.Create(config.Model, trainingData.Channels, trainingData.ClassNames.Count);
        ClassifierFile.Load(model, modelFile, "train the run again to rewrite it");
        model.to(device);
        using var augmentation = ttaCopies > 1 ? RunAugmentation.For(RunSpec.From(config), run, trainingData.Channels) : null;
        Func<Tensor, Tensor>? transform = augmentation is null || augmentation.IsIdentity ? null : augmentation.Apply;
        var evaluation = Evaluator.Evaluate(model, data.Test, trainingData.Normalize, device, transform: transform, copies: ttaCopies);
        return new RunEvaluationResult(evaluation, data.ClassNames, dataset ?? config.Dataset, modelFile, ttaCopies);
    }
}
