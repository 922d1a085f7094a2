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
    /// <param name="model">Classifier at w₀.</param>
    /// <param name="buffers">Momentum buffers m₀.</param>
    /// <param name="optimizer">Update rule.</param>
    /// <param name="normalize">[0, 1] images → model input.</param>
    /// <param name="augmenter">The augmenter (φ = its parameters).</param>
    /// <param name="images">Training batch in [0, 1] (after fixed augmentations).</param>
    /// <param name="labels">Training labels.</param>
    /// <param name="draw">The augmenter's noise and mask for this batch.</param>
    /// <param name="validationImages">Validation batch in [0, 1].</param>
    /// <param name="validationLabels">Validation labels.</param>
    /// <param name="lr">Learning rate η of the step.</param>
    /// <param name="trainMode">BatchNorm mode of the training forward.</param>
    public static HypergradientResult ExactK1(Classifier model, IReadOnlyList<Tensor> buffers, LookAheadOptimizer optimizer, Func<Tensor, Tensor> normalize,
        Augmenter augmenter, Tensor images, Tensor labels, AugmenterDraw draw, Tensor validationImages, Tensor validationLabels, double lr, BatchNormMode trainMode)
    {
        var weights = model.Weights.Cast<Tensor>().ToArray();
        var phi = augmenter.parameters().Cast<Tensor>().ToArray();
        var augmented = augmenter.Augment(images, draw).Images;
        StepProfiler.Mark("augment forward");
        var logits = model.Forward(normalize(augmented), weights, trainMode);
        var loss = nn.functional.cross_entropy(logits, labels);
        StepProfiler.Mark("train forward");
        var g = torch.autograd.grad([loss], weights, create_graph: true, retain_graph: true).ToArray();
        StepProfiler.Mark("train backward (create_graph)");

        var v = ValidationGradientAtLookAhead(model, weights, g, buffers, optimizer, normalize, validationImages, validationLabels, lr);
        var dot = zeros(1, dtype: loss.dtype, device: loss.device);
        for (int i = 0; i < g.Length; i++)
        {
            dot = dot + (g[i] * v[i]).sum();
        }
        StepProfiler.Mark("dot g.v");
        var h = torch.autograd.grad([dot * optimizer.GradientFactor(lr)], phi, retain_graph: false, allow_unused: true);
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
    /// <param name="model">Classifier at w₀.</param>
    /// <param name="buffers">Momentum buffers m₀.</param>
    /// <param name="optimizer">Update rule.</param>
    /// <param name="normalize">[0, 1] images → model input.</param>
    /// <param name="augmenter">The augmenter (φ = its parameters).</param>
    /// <param name="images">Training batch in [0, 1] (after fixed augmentations).</param>
    /// <param name="labels">Training labels.</param>
    /// <param name="draw">The augmenter's noise and mask for this batch.</param>
    /// <param name="validationImages">Validation batch in [0, 1].</param>
    /// <param name="validationLabels">Validation labels.</param>
    /// <param name="lr">Learning rate η of the step.</param>
    /// <param name="trainMode">BatchNorm mode of the training forward.</param>
    /// <param name="central">Central instead of forward difference.</param>
    public static HypergradientResult FiniteDifferenceK1(Classifier model, IReadOnlyList<Tensor> buffers, LookAheadOptimizer optimizer, Func<Tensor, Tensor> normalize,
        Augmenter augmenter, Tensor images, Tensor labels, AugmenterDraw draw, Tensor validationImages, Tensor validationLabels, double lr, BatchNormMode trainMode,
        bool central = false)
    {
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
        var v = ValidationGradientAtLookAhead(model, weights, g, buffers, optimizer, normalize, validationImages, validationLabels, lr);
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
        double factor = optimizer.GradientFactor(lr) / ((central ? 2 : 1) * eps);
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

    // v = ∇_w CE(f(x_v; w₁), y_v) at w₁ = w₀ − η·update(g, m₀), an ordinary backward (w₁ detached).
    private static Tensor[] ValidationGradientAtLookAhead(Classifier model, Tensor[] weights, IReadOnlyList<Tensor> g, IReadOnlyList<Tensor> buffers,
        LookAheadOptimizer optimizer, Func<Tensor, Tensor> normalize, Tensor validationImages, Tensor validationLabels, double lr)
    {
        Tensor[] next;
        using (no_grad())
        {
            next = new Tensor[weights.Length];
            for (int i = 0; i < weights.Length; i++)
            {
                var d = g[i].detach() + (optimizer.WeightDecay * weights[i]);
                var m = (optimizer.Momentum * buffers[i]) + d;
                var update = optimizer.Nesterov ? d + (optimizer.Momentum * m) : m;
                next[i] = weights[i] - (lr * update);
            }
        }
        StepProfiler.Mark("look-ahead weights");
        foreach (var w in next)
        {
            w.requires_grad_(true);
        }
        return model.WithWeights(next, w =>
        {
            var valLoss = nn.functional.cross_entropy(model.Forward(normalize(validationImages), w, BatchNormMode.TrainNoUpdate), validationLabels);
            StepProfiler.Mark("validation forward");
            var v = torch.autograd.grad([valLoss], [.. w]).Select(t => t.detach()).ToArray();
            StepProfiler.Mark("validation backward");
            return v;
        });
    }
}
