namespace Dabo;

/// <summary>What <see cref="TrainedClassifier.Predict(IEnumerable{string}, int)"/> says about one image file.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Label">The predicted class's index (the most probable).</param>
/// <param name="ClassName">The predicted class's name.</param>
/// <param name="Probabilities">Every class's probability (softmax), in the order of <see cref="TrainedClassifier.ClassNames"/>; they sum to 1.</param>
public sealed record ImagePrediction(string Path, int Label, string ClassName, IReadOnlyList<double> Probabilities);
