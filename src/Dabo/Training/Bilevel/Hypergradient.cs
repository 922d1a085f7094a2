using Dabo.Augmentation.Learned;
using Dabo.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Bilevel;

/// <summary>The result of one K = 1 hypergradient computation.</summary>
/// <param name="Gradients">dL_val/dφ, one tensor per augmenter parameter (same order as <c>augmenter.parameters()</c>).</param>
/// <param name="TrainLoss">Training loss on the augmented batch at w₀.</param>
/// <param name="Logits">Logits of that forward (detached).</param>
/// <param name="ClassifierGradients">g₀ = ∇_w of the training loss (detached), for the real classifier step.</param>
public sealed record HypergradientResult(Tensor[] Gradients, Tensor TrainLoss, Tensor Logits, Tensor[] ClassifierGradients);

/// <summary>
/// Hypergradients of the validation loss after one look-ahead step with respect to the augmenter
/// parameters φ. With K = 1, w₁ depends on φ only through g₀, so with
/// <c>v = ∇_w CE(f(x_v; w₁), y_v)</c>: <c>h = (∂w₁/∂g) ∂(g₀ · v)/∂φ</c> — one extra backward through
/// the graph of g₀ and no forward with a graph at w₁ (<see cref="ExactK1"/>). <see cref="FiniteDifferenceK1"/>
/// replaces that second-order backward by a finite difference of first-order gradients (DARTS).
/// </summary>
public static class Hypergradient
{
    /// <summary>Exact K = 1 hypergradient by the gradient–vector identity.</summary>
    /// <param name="problem">The classifier, augmenter, batches and step.</param>
    public static HypergradientResult ExactK1(HypergradientProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (model, augmenter, normalize) = (problem.Model, problem.Augmenter, problem.Normalize);
        var weights = model.Weights.Cast<Tensor>().ToArray();
        var phi = augmenter.parameters().Cast<Tensor>().ToArray();
        var augmented = augmenter.Augment(problem.Images, problem.Draw).Images;
        StepProfiler.Mark("augment forward");
        var logits = model.Forward(normalize(augmented), weights, problem.TrainMode, secondOrder: true);
        var loss = nn.functional.cross_entropy(logits, problem.Labels);
        StepProfiler.Mark("train forward");
        var g = torch.autograd.grad([loss], weights, create_graph: true, retain_graph: true).ToArray();
        StepProfiler.Mark("train backward (create_graph)");

        var v = ValidationGradientAtLookAhead(problem, weights, g);
        var dot = zeros(1, dtype: loss.dtype, device: loss.device);
        for (int i = 0; i < g.Length; i++)
        {
            dot = dot + (g[i] * v[i]).sum();
        }
        StepProfiler.Mark("dot g.v");
        var h = torch.autograd.grad([dot * problem.Rule.GradientFactor(problem.Lr)], phi, retain_graph: false, allow_unused: true);
        var gradients = h.Select((t, i) => t is null || t.IsInvalid ? zeros_like(phi[i]) : t).ToArray();
        StepProfiler.Mark("second-order backward");
        return new HypergradientResult(gradients, loss.detach(), logits.detach(), g.Select(t => t.detach()).ToArray());
    }

    /// <summary>
    /// DARTS-style approximation of the K = 1 hypergradient without a second-order graph. The
    /// forward difference <c>h ≈ (∂w₁/∂g) [∇_φ L_tr(w₀ + εv, φ) − ∇_φ L_tr(w₀, φ)] / ε</c> takes
    /// <c>∇_φ L_tr(w₀, φ)</c> from the backward that the real step makes anyway, so it costs one
    /// shifted forward/backward; the central difference (<paramref name="central"/>) evaluates
    /// <c>w₀ ± εv</c> instead, with an O(ε²) rather than O(ε) error, for two. <c>ε = 0.01 / ‖v‖</c>.
    /// </summary>
    /// <param name="problem">The classifier, augmenter, batches and step.</param>
    /// <param name="central">Central instead of forward difference.</param>
    public static HypergradientResult FiniteDifferenceK1(HypergradientProblem problem, bool central = false)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (model, augmenter, normalize) = (problem.Model, problem.Augmenter, problem.Normalize);
        var (images, labels, draw, trainMode) = (problem.Images, problem.Labels, problem.Draw, problem.TrainMode);
        var weights = model.Weights.Cast<Tensor>().ToArray();
        var phi = augmenter.parameters().Cast<Tensor>().ToArray();

        // The real step's gradient g₀ (first order only) and, for the forward difference, ∇_φ L_tr(w₀)
        // from the same backward: the extra work is the backward through the first layer's input.
        Tensor loss;
        Tensor logits;
        Tensor[] g;
        Tensor[]? atOrigin = null;
        if (central)
        {
            using (no_grad())
            {
                var plainAugmented = augmenter.Augment(images, draw).Images;
                using var enable = enable_grad();
                logits = model.Forward(normalize(plainAugmented), weights, trainMode);
                loss = nn.functional.cross_entropy(logits, labels);
                StepProfiler.Mark("augment + train forward");
                g = torch.autograd.grad([loss], weights).Select(t => t.detach()).ToArray();
                StepProfiler.Mark("train backward");
            }
        }
        else
        {
            var augmented = augmenter.Augment(images, draw).Images;
            logits = model.Forward(normalize(augmented), weights, trainMode);
            loss = nn.functional.cross_entropy(logits, labels);
            StepProfiler.Mark("augment + train forward");
            var both = torch.autograd.grad([loss], [.. weights, .. phi], allow_unused: true);
            g = both.Take(weights.Length).Select(t => t.detach()).ToArray();
            atOrigin = both.Skip(weights.Length).Select((t, i) => t is null || t.IsInvalid ? zeros_like(phi[i]) : t.detach()).ToArray();
            StepProfiler.Mark("train backward (w and φ)");
        }
        var v = ValidationGradientAtLookAhead(problem, weights, g);
        double norm = Norm(v);
        StepProfiler.Mark("norm of v");
        var gradients = phi.Select(p => zeros_like(p)).ToArray();
        if (norm == 0 || !double.IsFinite(norm))
        {
            return new HypergradientResult(gradients, loss.detach(), logits.detach(), g);
        }
        double eps = 0.01 / norm;
        Tensor[] GradPhiAt(double sign)
        {
            var shifted = weights.Select((w, i) => (w.detach() + (sign * eps * v[i])).requires_grad_(false)).ToArray();
            return model.WithWeights(shifted, w =>
            {
                var augmented = augmenter.Augment(images, draw).Images;
                var l = nn.functional.cross_entropy(model.Forward(normalize(augmented), w, BatchNormMode.TrainNoUpdate), labels);
                return torch.autograd.grad([l], phi, allow_unused: true).Select((t, i) => t is null || t.IsInvalid ? zeros_like(phi[i]) : t).ToArray();
            });
        }
        var plus = GradPhiAt(+1);
        var reference = atOrigin ?? GradPhiAt(-1);
        double factor = problem.Rule.GradientFactor(problem.Lr) / ((central ? 2 : 1) * eps);
        for (int i = 0; i < phi.Length; i++)
        {
            gradients[i] = (plus[i] - reference[i]) * factor;
        }
        StepProfiler.Mark(central ? "two shifted forward/backward" : "one shifted forward/backward");
        return new HypergradientResult(gradients, loss.detach(), logits.detach(), g);
    }

    /// <summary>
    /// The Euclidean norm of a list of tensors taken as one vector, with a single synchronization
    /// (the squared sums are stacked and added on the device, in float64).
    /// </summary>
    /// <param name="tensors">The tensors (any shapes; at least one).</param>
    public static double Norm(IReadOnlyList<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var squares = tensors.Select(t => t.detach().to_type(ScalarType.Float64).square().sum()).ToArray();
        return Math.Sqrt(stack(squares).sum().ToDouble());
    }

    // v = ∇_w CE(f(x_v; w₁), y_v) at w₁ = the rule's step from (w₀, m₀) with g, an ordinary backward (w₁ detached).
    private static Tensor[] ValidationGradientAtLookAhead(HypergradientProblem problem, Tensor[] weights, IReadOnlyList<Tensor> g)
    {
        Tensor[] next;
        using (no_grad())
        {
            next = weights.Select((w, i) => problem.Rule.Step(w.detach(), problem.Buffers[i], g[i].detach(), problem.Lr).Weight).ToArray();
        }
        StepProfiler.Mark("look-ahead weights");
        foreach (var w in next)
        {
            w.requires_grad_(true);
        }
        return problem.Model.WithWeights(next, w =>
        {
            var valLoss = nn.functional.cross_entropy(problem.Model.Forward(problem.Normalize(problem.ValidationImages), w, BatchNormMode.TrainNoUpdate), problem.ValidationLabels);
            StepProfiler.Mark("validation forward");
            // Contiguous: a channels-last forward leaves the convolution kernels' gradients channels-last, and
            // that layout, carried into the exact second-order backward, makes it slower.
            var v = torch.autograd.grad([valLoss], [.. w]).Select(t => t.detach().contiguous()).ToArray();
            StepProfiler.Mark("validation backward");
            return v;
        });
    }
}
