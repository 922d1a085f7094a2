namespace Dabo.Training;

/// <summary>What a run trains on: the dataset, its size and split, and what fixed augmentations may do to it.</summary>
/// <param name="Dataset">Dataset path or name.</param>
/// <param name="ImageSize">Height and width every image is resized to when read; null keeps the stored size.</param>
/// <param name="MaxImagePixels">Largest image an image folder may hold; null for the default.</param>
/// <param name="TrainSize">Labelled images drawn (stratified) from the training split; null for all.</param>
/// <param name="ValRatio">Share of them held out for validation.</param>
/// <param name="TrainOnValidation">Whether the classifier also trains on the validation images.</param>
/// <param name="Flip">Whether fixed augmentations may mirror images.</param>
/// <param name="DataSeed">Seed of the subset and split, apart from the run's seed so that seeds compare methods on the same images.</param>
public sealed record DataOptions(string Dataset, int? ImageSize, long? MaxImagePixels, int? TrainSize, double ValRatio, bool TrainOnValidation, bool Flip, int DataSeed);
