using System.Globalization;

namespace Dabo.Models;

/// <summary>
/// Refuses a network that cannot fit in memory before it is built: <c>--model wrn-10000-1</c> was
/// killed by the kernel at 22.6 GB after minutes of allocation. The estimate is deliberately simple:
/// 4 bytes per value; per parameter the weight, its gradient, its momentum and one spare copy
/// (checkpoint serialization, best model); activations twice (kept for backward, and their
/// gradients); bilevel training doubles it all again (look-ahead weights and the second-order graph).
/// </summary>
public static class ModelMemory
{
    private const double BytesPerValue = 4;
    private const double CopiesPerParameter = 4;
    private const double CopiesPerActivation = 2;
    private const double BilevelFactor = 2;

    /// <summary>Estimated bytes for plain training of <paramref name="parameters"/> parameters with <paramref name="activations"/> activation values per batch.</summary>
    public static double TrainingBytes(double parameters, double activations) =>
        BytesPerValue * ((CopiesPerParameter * parameters) + (CopiesPerActivation * activations));

    /// <summary>
    /// Estimated bytes of memory to train the named network on batches of <paramref name="batchSize"/>
    /// images, computed from the architecture without building it; null for the fixed models (at most
    /// 11.2M parameters, which fit any machine that runs Dabo).
    /// </summary>
    public static double? EstimatedTrainingBytes(string name, int inputChannels, int height, int width, int classCount, int batchSize)
    {
        if (!ModelRegistry.TryParseWideResNet(name, out int depth, out int widen))
        {
            return null;
        }
        double parameters = WideResNet.CountParameters(depth, widen, inputChannels, classCount);
        double activations = WideResNet.ActivationsPerImage(depth, widen, height, width) * batchSize;
        return TrainingBytes(parameters, activations);
    }

    /// <summary>Throws when training the model would need more memory than the machine has available.</summary>
    /// <exception cref="DaboException">Naming the model, the estimate and the available memory.</exception>
    public static void Check(string model, int channels, int height, int width, int classes, int batchSize, bool bilevel)
    {
        var bytes = EstimatedTrainingBytes(model, channels, height, width, classes, batchSize);
        if (bytes is not double needed)
        {
            return;
        }
        needed *= bilevel ? BilevelFactor : 1;
        long available = SystemMemory.AvailableBytes();
        if (needed > available)
        {
            throw new DaboException(string.Create(CultureInfo.InvariantCulture,
                $"--model {model}: needs about {Gigabytes(needed)} of memory to train (batch {batchSize} of {height}×{width} images) but {Gigabytes(available)} is available; choose a smaller model (e.g. wrn-28-10) or a smaller --batch-size"));
        }
    }

    private static string Gigabytes(double bytes) => bytes >= 1e12
        ? (bytes / 1e12).ToString("G3", CultureInfo.InvariantCulture) + " TB"
        : (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB";
}
