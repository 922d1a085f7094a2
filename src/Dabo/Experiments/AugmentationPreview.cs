using Dabo.Data;
using Dabo.IO;
using Dabo.Training;
using Dabo.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Experiments;

/// <summary>Image grids of training images beside their augmented versions.</summary>
public static class AugmentationPreview
{
    /// <summary>
    /// Writes a PNG: rows of <paramref name="perRow"/> originals, each followed by a row of their
    /// augmented versions, for the first <paramref name="count"/> training images of the run's split.
    /// </summary>
    public static void Write(TrainingConfig config, RunDirectory? run, int count, string outFile, string? cacheDirectory = null, int perRow = 8)
    {
        if (count <= 0)
        {
            throw new DaboException($"--images {count}: must be positive");
        }
        if (!outFile.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new DaboException($"--out {outFile}: the preview is a PNG; give a file name ending in .png");
        }
        OutputPaths.CheckFile("--out", outFile);
        TorchRuntime.Initialize();
        using var dataset = DatasetLoader.Load(config.Dataset, cacheDirectory, config.ImageSize, config.MaxImagePixels);
        using var data = PreparedData.Create(dataset, config.TrainSize, config.ValRatio, config.TrainOnValidation, config.DataSeed);
        using var augmentation = RunAugmentation.For(RunSpec.From(config), run, data.Channels);
        using var scope = NewDisposeScope();
        int n = Math.Min(count, data.Train.Count);
        var original = PreparedData.ToUnit(data.Train.Images.narrow(0, 0, n), CPU);
        var augmented = augmentation.Apply(original).clamp(0, 1);
        var rows = new List<Tensor>();
        for (int start = 0; start < n; start += perRow)
        {
            int len = Math.Min(perRow, n - start);
            rows.Add(Pad(original.narrow(0, start, len), perRow));
            rows.Add(Pad(augmented.narrow(0, start, len), perRow));
        }
        var grid = cat(rows, 0);
        if (grid.shape[1] == 1)
        {
            grid = grid.expand(-1, 3, -1, -1);
        }
        AtomicFile.Write(outFile, s => torchvision.utils.save_image(grid, s, torchvision.ImageFormat.Png, nrow: perRow, padding: 2, pad_value: 1.0, imager: Data.ImageFolderReader.Imager));
    }

    // Rows shorter than perRow are filled with white so originals and augmented rows stay aligned.
    private static Tensor Pad(Tensor row, int perRow) =>
        row.shape[0] == perRow ? row : cat([row, ones(perRow - row.shape[0], row.shape[1], row.shape[2], row.shape[3])], 0);
}
