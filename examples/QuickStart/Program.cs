using System.Globalization;
using Dabo;
using Dabo.Methods;
using Dabo.Training;

// A small CNN with a learned augmentation policy on a few hundred Fashion-MNIST images.
// Arguments (optional): epochs and training images, e.g. `dotnet run -- 2 200` for a quick check.
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
int images = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var options = new TrainingOptions
{
    Config = new TrainingConfig { Dataset = "fashion-mnist", Model = "small-cnn", TrainSize = images, Epochs = epochs, TestEvery = epochs },
    Method = MethodSpec.LearnedPolicy(),
};
using TrainedClassifier trained = DaboTrainer.Train(options);
Console.WriteLine($"test accuracy {trained.Summary.TestAccuracy:P2} after {trained.Summary.WallSeconds:F0} s");
var slots = trained.TopOperations(top: 3);
for (int slot = 0; slot < slots.Count; slot++)
{
    var top = slots[slot].Select(o => $"{o.Operation} {o.Probability:P1}");
    Console.WriteLine($"slot {slot + 1}: {string.Join(", ", top)}");
}
