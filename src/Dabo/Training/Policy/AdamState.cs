using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Training.Policy;

/// <summary>
/// Adam (Kingma &amp; Ba) for a few leaf tensors, with its moments held here so that a checkpoint
/// restores them exactly. Used for the learned policy's logits; the classifier keeps its SGD.
/// </summary>
public sealed class AdamState : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Tensor[] _parameters;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;

    /// <summary>Creates the state for <paramref name="parameters"/> (updated in place).</summary>
    public AdamState(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _first = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _second = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Number of steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>One Adam step with <paramref name="gradients"/> and learning rate <paramref name="lr"/>.</summary>
    public void Step(IReadOnlyList<Tensor> gradients, double lr)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Steps++;
        double correction1 = 1 - Math.Pow(Beta1, Steps);
        double correction2 = 1 - Math.Pow(Beta2, Steps);
        for (int i = 0; i < _parameters.Length; i++)
        {
            _first[i].mul_(Beta1).add_(gradients[i], alpha: 1 - Beta1);
            _second[i].mul_(Beta2).addcmul_(gradients[i], gradients[i], value: 1 - Beta2);
            var denominator = (_second[i] / correction2).sqrt_().add_(Epsilon);
            _parameters[i].addcdiv_(_first[i], denominator, value: -lr / correction1);
        }
    }

    /// <summary>Writes the step count and both moments.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Steps);
        foreach (var t in _first.Concat(_second))
        {
            t.Save(writer);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Steps = reader.ReadInt64();
        using var noGrad = no_grad();
        foreach (var t in _first.Concat(_second))
        {
            t.Load(reader);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _first.Concat(_second))
        {
            t.Dispose();
        }
    }
}
