using Dabo.Augmentation.Learned;
using Dabo.Models;
using Dabo.Training.Artifacts;
using Dabo.Training.Runs;
using Dabo.Training.Steps;
using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Bilevel;

/// <summary>
/// The online bilevel step. Per window of K training batches: augmented training loss → K
/// look-ahead SGD-momentum steps that keep the graph → validation loss at the look-ahead weights
/// on the next validation batch → hypergradient with respect to the augmenter (truncated
/// back-propagation through the K steps) → augmenter step → the classifier takes the K steps for
/// real. K = 1 uses the gradient–vector identity (or its finite-difference approximation).
/// A non-finite hypergradient skips the augmenter update (counted), never the run.
/// </summary>
public sealed class BilevelStep : TrainingStep
{
    private readonly StepContext _context;
    private readonly Augmenter _augmenter;
    private readonly SgdMomentum _augmenterOptimizer;
    private readonly BilevelOptions _options;
    private readonly string? _fixedText;
    private LookAheadWindow? _window;
    private double _hypergradNormSum;
    private int _hypergradCount;
    private int _skipped;

    /// <summary>Creates the step around a fresh augmenter.</summary>
    /// <param name="context">The run.</param>
    /// <param name="augmenter">The augmenter to learn (the step owns it).</param>
    /// <param name="options">K, the hypergradient and the augmenter's optimizer.</param>
    /// <param name="fixedText">The method's fixed part, named in the exported <c>torchvision.txt</c>; null for none.</param>
    public BilevelStep(StepContext context, Augmenter augmenter, BilevelOptions options, string? fixedText)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (context.Data.Validation.Count == 0)
        {
            throw new DaboException("--val-ratio 0: learned augmentation needs a validation split for its hypergradient; use e.g. --val-ratio 0.2");
        }
        if (!context.Model.IsFunctional && options.Hypergrad == HypergradMethod.Exact)
        {
            throw new DaboException(Models.Classifier.ExactNeedsFunctionalForward);
        }
        if (options.Hypergrad != HypergradMethod.Exact && options.InnerSteps != 1)
        {
            throw new DaboException($"--hypergrad {OptionNames.Of(options.Hypergrad)} supports --inner-steps 1 only (got {options.InnerSteps}); use --hypergrad exact for K > 1");
        }
        _context = context;
        _options = options;
        _fixedText = fixedText;
        _augmenter = augmenter;
        _augmenter.to(context.Device);
        var parameters = augmenter.parameters().ToArray();
        _augmenterOptimizer = new SgdMomentum(parameters, options.AugmenterMomentum, options.AugmenterWeightDecay);
    }

    /// <summary>The augmenter being learned.</summary>
    public Augmenter Augmenter => _augmenter;

    /// <inheritdoc />
    public override (Tensor Loss, Tensor Correct) Run(Tensor unitImages, Tensor labels, double lr)
    {
        StepProfiler.Start();
        var model = _context.Model;
        var draw = _augmenter.Draw(unitImages.shape[0]);
        draw = new AugmenterDraw(draw.Mask.to(unitImages.device), draw.Noise.to(unitImages.device));
        Tensor loss;
        Tensor logits;
        if (_options.InnerSteps == 1)
        {
            var (xv, yv) = NextValidationBatch();
            StepProfiler.Mark("draw + validation batch");
            var problem = new HypergradientProblem(model, _context.Optimizer.Buffers, _context.Optimizer.Rule, _context.Normalize, _augmenter,
                unitImages, labels, draw, xv, yv, lr, BatchNormMode.TrainUpdate);
            var result = _options.Hypergrad is HypergradMethod.Fd or HypergradMethod.FdCentral
                ? Hypergradient.FiniteDifferenceK1(problem, central: _options.Hypergrad == HypergradMethod.FdCentral)
                : Hypergradient.ExactK1(problem);
            UpdateAugmenter(result.Gradients);
            StepProfiler.Mark("augmenter update");
            _context.Optimizer.Step(result.ClassifierGradients, lr);
            StepProfiler.Mark("classifier update");
            loss = result.TrainLoss;
            logits = result.Logits;
        }
        else
        {
            _window ??= new LookAheadWindow(model, _context.Optimizer.Buffers, _context.Optimizer.Rule, _context.Normalize);
            var augmented = _augmenter.Augment(unitImages, draw).Images;
            StepProfiler.Mark("augment forward");
            (loss, logits) = _window.Step(augmented, labels, lr, BatchNormMode.TrainUpdate);
            StepProfiler.Mark("look-ahead step (create_graph)");
            if (_window.Steps == _options.InnerSteps)
            {
                FinishWindow();
            }
            loss = loss.detach();
            logits = logits.detach();
        }
        var correct = logits.argmax(1).eq(labels).sum();
        StepProfiler.Mark("metrics");
        return (loss, correct);
    }

    /// <summary>Closes an open look-ahead window (fewer than K steps at the end of an epoch) so the classifier's weights are current.</summary>
    public override void Flush()
    {
        if (_window is not null)
        {
            using var scope = NewDisposeScope();
            FinishWindow();
        }
    }

    private void FinishWindow()
    {
        var (xv, yv) = NextValidationBatch();
        var valLoss = _window!.ValidationLoss(xv, yv);
        StepProfiler.Mark("validation forward");
        var phi = _augmenter.parameters().Cast<Tensor>().ToArray();
        var h = torch.autograd.grad([valLoss], phi, allow_unused: true)
            .Select((t, i) => t is null || t.IsInvalid ? zeros_like(phi[i]) : t).ToArray();
        StepProfiler.Mark("hypergradient backward (unrolled)");
        UpdateAugmenter(h);
        _window.Commit(_context.Optimizer);
        StepProfiler.Mark("augmenter update + commit");
        _window.Dispose();
        _window = null;
    }

    private (Tensor Images, Tensor Labels) NextValidationBatch()
    {
        var (images, labels) = _context.ValidationStream.Next();
        return (PreparedData.ToUnit(images, _context.Device), labels.to(_context.Device));
    }

    private void UpdateAugmenter(Tensor[] hypergradient)
    {
        // One synchronization for the norm (not one per tensor).
        double norm = Hypergradient.Norm(hypergradient);
        if (!double.IsFinite(norm))
        {
            _skipped++;
            return;
        }
        _hypergradNormSum += norm;
        _hypergradCount++;
        var phi = _augmenter.parameters().ToArray();
        var before = phi.Select(p => p.detach().clone()).ToArray();
        _augmenterOptimizer.Step(hypergradient, _options.AugmenterLr);
        bool finite;
        using (no_grad())
        {
            finite = stack(phi.Select(p => isfinite(p).all()).ToArray()).all().item<bool>();
        }
        if (!finite)
        {
            // Undo the update: a diverged augmenter must never end the run.
            using var noGrad = no_grad();
            for (int i = 0; i < phi.Length; i++)
            {
                phi[i].copy_(before[i]);
                _augmenterOptimizer.Buffers[i].zero_();
            }
            _skipped++;
        }
    }

    /// <inheritdoc />
    public override Tensor Preview(Tensor unitImages)
    {
        using var noGrad = no_grad();
        return _augmenter.Augment(unitImages).Images;
    }

    /// <inheritdoc />
    public override EpochMetrics CompleteEpoch(EpochMetrics metrics)
    {
        var result = metrics with
        {
            Augmenter = _augmenter.Describe(),
            HypergradNorm = _hypergradCount == 0 ? null : _hypergradNormSum / _hypergradCount,
            AugmenterLr = _options.AugmenterLr,
            SkippedAugmenterUpdates = _skipped,
        };
        _hypergradNormSum = 0;
        _hypergradCount = 0;
        _skipped = 0;
        return result;
    }

    /// <inheritdoc />
    public override void Save(BinaryWriter writer)
    {
        if (_window is not null)
        {
            throw new InvalidOperationException("checkpoint inside a look-ahead window");
        }
        _augmenter.save(writer);
        foreach (var b in _augmenterOptimizer.Buffers)
        {
            b.Save(writer);
        }
        using var state = _augmenter.GetGeneratorState();
        state.Save(writer);
    }

    /// <inheritdoc />
    public override void Load(BinaryReader reader)
    {
        _augmenter.load(reader);
        using (no_grad())
        {
            foreach (var b in _augmenterOptimizer.Buffers)
            {
                b.Load(reader);
            }
        }
        using var state = TorchSharp.TensorExtensionMethods.Load(reader);
        _augmenter.SetGeneratorState(state);
    }

    /// <inheritdoc />
    public override double? AugmenterParameterNorm() => Hypergradient.Norm([.. _augmenter.parameters()]);

    /// <inheritdoc />
    public override void SaveArtifacts(RunDirectory run)
    {
        LearnedAugmentation.SaveAugmenter(_augmenter, run);
        PolicyExport.WriteRanges(_augmenter, run, _fixedText);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _window?.Dispose();
            _augmenterOptimizer.Dispose();
            _augmenter.Dispose();
        }
    }
}
