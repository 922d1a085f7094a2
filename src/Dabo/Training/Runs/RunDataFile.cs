using System.Text.Json;
using Dabo.Data;
using Dabo.IO;

namespace Dabo.Training.Runs;

/// <summary>
/// <c>data.json</c> of a run directory: what the classifier's input is (the normalization of the run's own training
/// images, the classes in logit order, the image shape), so that predicting, exporting or loading a run needs no dataset.
/// Runs written before the file existed fall back to recomputing it from their dataset, as training did.
/// </summary>
internal static class RunDataFile
{
    private const string Remedy = "delete it and run any command on the run again (it is recomputed from the run's dataset)";

    /// <summary>Writes <paramref name="data"/> into the run (atomic).</summary>
    public static void Write(RunDirectory run, DataDescription data) =>
        AtomicFile.WriteAllText(run.DataFile, JsonSerializer.Serialize(new Contents(data.Mean, data.Std, [.. data.ClassNames], data.ImageShape), TrainingConfig.JsonOptions) + "\n");

    /// <summary>Reads <c>data.json</c>, or recomputes it from the run's dataset (and writes it) for an older run.</summary>
    /// <param name="run">A run directory.</param>
    /// <param name="config">Its configuration.</param>
    /// <param name="cacheDirectory">Decoded-image cache for the fallback.</param>
    public static DataDescription Read(RunDirectory run, TrainingConfig config, string? cacheDirectory)
    {
        if (File.Exists(run.DataFile))
        {
            try
            {
                var c = JsonSerializer.Deserialize<Contents>(File.ReadAllText(run.DataFile), TrainingConfig.JsonOptions);
                if (c is null || c.ImageShape is not { Length: 3 } || c.Mean.Length != c.ImageShape[0] || c.Std.Length != c.ImageShape[0] || c.ClassNames.Length == 0)
                {
                    throw new DaboException($"{run.DataFile}: damaged (its fields do not fit together); {Remedy}");
                }
                return new DataDescription(c.Mean, c.Std, c.ClassNames, c.ImageShape);
            }
            catch (JsonException e)
            {
                throw new DaboException($"{run.DataFile}: damaged ({e.Message.Split('\n')[0]}); {Remedy}", e);
            }
        }
        TorchRuntime.Initialize();
        using var dataset = DatasetLoader.Load(config.Dataset, cacheDirectory, config.ImageSize, config.MaxImagePixels);
        using var data = PreparedData.Create(dataset, config.TrainSize, config.ValRatio, config.TrainOnValidation, config.DataSeed);
        var description = new DataDescription(data.Mean, data.Std, data.ClassNames, [.. data.Test.Shape]);
        try
        {
            Write(run, description);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only run still predicts; the description is recomputed next time.
        }
        return description;
    }

    private sealed record Contents(double[] Mean, double[] Std, string[] ClassNames, int[] ImageShape);
}
