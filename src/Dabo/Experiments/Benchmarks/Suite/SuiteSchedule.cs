namespace Dabo.Experiments.Benchmarks.Suite;

/// <summary>
/// A training length of <c>dabo bench suite</c>, in SGD steps: each run's epochs are the steps divided by
/// its steps per epoch (from the images it actually trains on), rounded, so that a method that holds
/// images out trains for as many steps as one that does not.
/// </summary>
/// <param name="Name">Folder and column name (<c>short</c>, <c>long</c>).</param>
/// <param name="Steps">Target SGD steps.</param>
public sealed record SuiteSchedule(string Name, int Steps)
{
    /// <summary>About 2,500 steps (100 epochs of 800 images at batch 32).</summary>
    public static SuiteSchedule Short { get; } = new("short", 2500);

    /// <summary>About 7,500 steps (300 epochs of 800 images at batch 32).</summary>
    public static SuiteSchedule Long { get; } = new("long", 7500);

    /// <summary>Both, short first.</summary>
    public static IReadOnlyList<SuiteSchedule> Defaults { get; } = [Short, Long];

    /// <summary>Epochs that give about <see cref="Steps"/> steps with <paramref name="trainImages"/> images per epoch.</summary>
    public int Epochs(int trainImages, int batchSize)
    {
        int stepsPerEpoch = (trainImages + batchSize - 1) / batchSize; // the last, partial batch is a step
        return Math.Max(1, (int)Math.Round((double)Steps / stepsPerEpoch, MidpointRounding.AwayFromZero));
    }
}
