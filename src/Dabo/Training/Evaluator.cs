using Dabo.Data;
using Dabo.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training;

/// <summary>Accuracy, loss, per-class accuracy and confusion matrix of a classifier on a split.</summary>
/// <param name="Accuracy">Share of correct predictions (0–1).</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Confusion">Counts, rows = true class, columns = predicted class.</param>
public sealed record Evaluation(double Accuracy, double Loss, long[,] Confusion)
{
    /// <summary>Accuracy of each class (recall).</summary>
    public double[] PerClassAccuracy()
    {
        int k = Confusion.GetLength(0);
        var result = new double[k];
        for (int c = 0; c < k; c++)
        {
            long total = 0;
            for (int j = 0; j < k; j++)
            {
                total += Confusion[c, j];
            }
            result[c] = total == 0 ? double.NaN : (double)Confusion[c, c] / total;
        }
        return result;
    }
}

/// <summary>Evaluates classifiers in evaluation mode (running BatchNorm statistics), without gradients.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="set"/>.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="set">Images and labels.</param>
    /// <param name="normalize">Maps [0, 1] images to the model's input space.</param>
    /// <param name="device">Compute device.</param>
    /// <param name="maxImages">Evaluate only the first this-many images (null: all).</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="transform">Optional test-time transformation of [0, 1] images before normalization; with <paramref name="copies"/> &gt; 1 the softmax outputs of that many transformed copies are averaged.</param>
    /// <param name="copies">Number of augmented copies for test-time augmentation.</param>
    /// <param name="cancellationToken">Checked before every batch, so that Ctrl-C stops an evaluation of a large split too.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static Evaluation Evaluate(Classifier model, ImageSet set, Func<Tensor, Tensor> normalize, Device device,
        int? maxImages = null, int batchSize = 500, Func<Tensor, Tensor>? transform = null, int copies = 1, CancellationToken cancellationToken = default)
    {
        int n = Math.Min(set.Count, maxImages ?? int.MaxValue);
        int k = model.ClassCount;
        var confusion = new long[k, k];
        if (n == 0)
        {
            return new Evaluation(double.NaN, double.NaN, confusion);
        }
        bool wasTraining = model.training;
        model.eval();
        double lossSum = 0;
        long correct = 0;
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int len = Math.Min(batchSize, n - start);
                var x = PreparedData.ToUnit(set.Images.narrow(0, start, len), device);
                var y = set.Labels.narrow(0, start, len).to(device);
                Tensor logProbs;
                if (transform is null || copies <= 1)
                {
                    var input = transform is null ? x : transform(x);
                    logProbs = nn.functional.log_softmax(model.forward(normalize(input)), 1);
                }
                else
                {
                    var probs = zeros(len, k, device: device);
                    for (int c = 0; c < copies; c++)
                    {
                        // Each copy's activations are freed before the next: memory stays that of one copy, whatever --tta.
                        using var copyScope = NewDisposeScope();
                        probs.add_(nn.functional.softmax(model.forward(normalize(transform(x))), 1));
                    }
                    logProbs = probs.div_(copies).clamp_min_(1e-12).log_();
                }
                lossSum += nn.functional.nll_loss(logProbs, y, reduction: nn.Reduction.Sum).ToDouble();
                var predicted = logProbs.argmax(1).cpu().data<long>().ToArray();
                var truth = y.cpu().data<long>().ToArray();
                for (int i = 0; i < len; i++)
                {
                    confusion[truth[i], predicted[i]]++;
                    if (truth[i] == predicted[i])
                    {
                        correct++;
                    }
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new Evaluation((double)correct / n, lossSum / n, confusion);
    }
}
