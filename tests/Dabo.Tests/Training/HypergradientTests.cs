using Dabo.Augmentation.Learned;
using Dabo.Models;
using Dabo.Training;
using Dabo.Training.Bilevel;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Tests.Training;

/// <summary>
/// The hypergradient against central finite differences of the validation loss with respect to
/// the augmenter's parameters, in float64 on a smooth tiny classifier.
/// </summary>
[Collection("global-rng")]
public class HypergradientTests
{
    private const int Size = 8;
    private const int Classes = 3;
    private const double Lr = 0.3;
    private static readonly SgdRule Rule = new(Momentum: 0.9, WeightDecay: 5e-3, Nesterov: false);

    public HypergradientTests() => TorchRuntime.Initialize();

    private sealed class Problem : IDisposable
    {
        public required TinyNet Model { get; init; }
        public required Augmenter Augmenter { get; init; }
        public required Tensor[] Buffers { get; init; }
        public required List<(Tensor X, Tensor Y, AugmenterDraw Draw)> Batches { get; init; }
        public required Tensor ValX { get; init; }
        public required Tensor ValY { get; init; }

        public void Dispose()
        {
            Model.Dispose();
            Augmenter.Dispose();
        }
    }

    private static Problem Make(int batches, string kind = "learned-affine", AugmenterParametrization parametrization = AugmenterParametrization.Ranges)
    {
        manual_seed(11);
        var model = new TinyNet(1, Size, Classes);
        model.to(ScalarType.Float64);
        var augmenter = AugmenterFactory.Create(kind, 1, new AugmenterOptions { Parametrization = parametrization, Seed = 3, InitialSpread = 0.3 });
        augmenter.to(ScalarType.Float64);
        var buffers = model.Weights.Select(w => (randn_like(w) * 0.1).DetachFromDisposeScope()).ToArray();
        // Smooth images (a blurred random field) keep bilinear resampling away from pixel-grid kinks.
        Tensor Images(int n) => nn.functional.avg_pool2d(rand(n, 1, Size + 2, Size + 2, dtype: ScalarType.Float64), 3, stride: 1);
        var list = new List<(Tensor, Tensor, AugmenterDraw)>();
        for (int k = 0; k < batches; k++)
        {
            var draw = augmenter.Draw(6);
            list.Add((Images(6), randint(0, Classes, [6], dtype: ScalarType.Int64), new AugmenterDraw(draw.Mask, draw.Noise.to_type(ScalarType.Float64))));
        }
        return new Problem { Model = model, Augmenter = augmenter, Buffers = buffers, Batches = list, ValX = Images(5), ValY = randint(0, Classes, [5], dtype: ScalarType.Int64) };
    }

    private static Tensor Identity(Tensor x) => x;

    // L_val after K look-ahead steps, for the augmenter's current parameters.
    private static double ValidationLoss(Problem p)
    {
        using var scope = NewDisposeScope();
        using var window = new LookAheadWindow(p.Model, p.Buffers, Rule, Identity);
        foreach (var (x, y, draw) in p.Batches)
        {
            window.Step(p.Augmenter.Augment(x, draw).Images, y, Lr, BatchNormMode.TrainNoUpdate);
        }
        return window.ValidationLoss(p.ValX, p.ValY).ToDouble();
    }

    private static double[] Flatten(IEnumerable<Tensor> tensors) =>
        tensors.SelectMany(t => t.detach().to_type(ScalarType.Float64).flatten().data<double>().ToArray()).ToArray();

    private static double[] CentralDifference(Problem p, double eps = 1e-6)
    {
        var result = new List<double>();
        foreach (var phi in p.Augmenter.parameters())
        {
            var flat = phi.detach().view(-1);
            for (int i = 0; i < flat.shape[0]; i++)
            {
                double original = flat[i].ToDouble();
                using (no_grad())
                {
                    flat[i] = original + eps;
                }
                double plus = ValidationLoss(p);
                using (no_grad())
                {
                    flat[i] = original - eps;
                }
                double minus = ValidationLoss(p);
                using (no_grad())
                {
                    flat[i] = original;
                }
                result.Add((plus - minus) / (2 * eps));
            }
        }
        return result.ToArray();
    }

    private static double[] Unrolled(Problem p)
    {
        using var scope = NewDisposeScope();
        using var window = new LookAheadWindow(p.Model, p.Buffers, Rule, Identity);
        foreach (var (x, y, draw) in p.Batches)
        {
            window.Step(p.Augmenter.Augment(x, draw).Images, y, Lr, BatchNormMode.TrainNoUpdate);
        }
        var phi = p.Augmenter.parameters().Cast<Tensor>().ToArray();
        return Flatten(torch.autograd.grad([window.ValidationLoss(p.ValX, p.ValY)], phi));
    }

    private static double RelativeError(double[] actual, double[] expected)
    {
        double diff = Math.Sqrt(actual.Zip(expected, (a, b) => (a - b) * (a - b)).Sum());
        double norm = Math.Sqrt(expected.Sum(b => b * b));
        Assert.True(norm > 1e-8, $"reference hypergradient is ~0 ({norm}); the check would be vacuous");
        return diff / norm;
    }

    private static HypergradientResult Exact(Problem p, bool fd, bool central = false)
    {
        var (x, y, draw) = p.Batches[0];
        var problem = new HypergradientProblem(p.Model, p.Buffers, Rule, Identity, p.Augmenter, x, y, draw, p.ValX, p.ValY, Lr, BatchNormMode.TrainNoUpdate);
        return fd ? Hypergradient.FiniteDifferenceK1(problem, central) : Hypergradient.ExactK1(problem);
    }

    [Fact]
    public void Exact_K1_identity_matches_central_finite_differences()
    {
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var exact = Flatten(Exact(p, fd: false).Gradients);
        var reference = CentralDifference(p);
        Assert.True(RelativeError(exact, reference) < 1e-4, $"relative error {RelativeError(exact, reference):E2}");
    }

    [Fact]
    public void K1_identity_equals_the_unrolled_path()
    {
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var identity = Flatten(Exact(p, fd: false).Gradients);
        var unrolled = Unrolled(p);
        Assert.True(RelativeError(identity, unrolled) < 1e-9, $"relative error {RelativeError(identity, unrolled):E2}");
    }

    [Fact]
    public void Exact_K2_unrolled_matches_central_finite_differences()
    {
        using var p = Make(batches: 2);
        using var scope = NewDisposeScope();
        var exact = Unrolled(p);
        var reference = CentralDifference(p);
        Assert.True(RelativeError(exact, reference) < 1e-4, $"relative error {RelativeError(exact, reference):E2}");
    }

    [Fact]
    public void Mlp_augmenter_K1_matches_central_finite_differences()
    {
        using var p = Make(batches: 1, kind: "learned-translate", parametrization: AugmenterParametrization.Mlp);
        using var scope = NewDisposeScope();
        var exact = Flatten(Exact(p, fd: false).Gradients);
        var reference = CentralDifference(p);
        Assert.True(RelativeError(exact, reference) < 1e-4, $"relative error {RelativeError(exact, reference):E2}");
    }

    [Theory]
    [InlineData(false, 0.05)]
    [InlineData(true, 1e-3)]
    public void Finite_difference_approximation_is_close_to_exact(bool central, double tolerance)
    {
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var exact = Flatten(Exact(p, fd: false).Gradients);
        var approx = Flatten(Exact(p, fd: true, central).Gradients);
        double error = RelativeError(approx, exact);
        Assert.True(error < tolerance, $"relative error {error:E2}");
    }

    [Fact]
    public void Central_difference_is_more_accurate_than_forward()
    {
        // The forward difference's error is O(ε), the central one's O(ε²): a check that the forward
        // variant really reuses ∇_φ at w₀ (a wrong reference point would not shrink like this).
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var exact = Flatten(Exact(p, fd: false).Gradients);
        double forward = RelativeError(Flatten(Exact(p, fd: true, central: false).Gradients), exact);
        double centralError = RelativeError(Flatten(Exact(p, fd: true, central: true).Gradients), exact);
        Assert.True(centralError < forward, $"central {centralError:E2} vs forward {forward:E2}");
    }

    [Fact]
    public void Forward_difference_returns_the_same_classifier_gradient_as_exact()
    {
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var exact = Flatten(Exact(p, fd: false).ClassifierGradients);
        var forward = Flatten(Exact(p, fd: true).ClassifierGradients);
        Assert.True(RelativeError(forward, exact) < 1e-12);
    }

    [Fact]
    public void Classifier_gradient_of_the_bilevel_step_is_the_training_gradient_only()
    {
        // Validation data must never enter the classifier's weights: the g returned for the real
        // step equals the plain gradient of the training loss on the same augmented batch.
        using var p = Make(batches: 1);
        using var scope = NewDisposeScope();
        var result = Exact(p, fd: false);
        var (x, y, draw) = p.Batches[0];
        var weights = p.Model.Weights.Cast<Tensor>().ToArray();
        var loss = nn.functional.cross_entropy(p.Model.Forward(p.Augmenter.Augment(x, draw).Images, weights, BatchNormMode.TrainNoUpdate), y);
        var plain = Flatten(torch.autograd.grad([loss], weights));
        Assert.True(RelativeError(Flatten(result.ClassifierGradients), plain) < 1e-12);
    }
}
