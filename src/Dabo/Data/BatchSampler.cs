using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Data;

/// <summary>
/// Yields shuffled mini-batches of an <see cref="ImageSet"/>: a new permutation each epoch from a
/// seeded generator (whose state, with the endless stream's position, can be saved for resuming), each batch gathered in one
/// <c>index_select</c> from the contiguous tensor.
/// </summary>
public sealed class BatchSampler : IDisposable
{
    private readonly ImageSet _set;
    private readonly Generator _generator;
    private Tensor? _order;
    private long _position;

    /// <summary>Creates a sampler.</summary>
    /// <param name="set">The images to batch.</param>
    /// <param name="batchSize">Images per batch (the last batch of an epoch may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="seed">Seed of the shuffling generator.</param>
    /// <param name="dropLast">Skip a final incomplete batch.</param>
    public BatchSampler(ImageSet set, int batchSize, long seed, bool dropLast = false)
    {
        if (batchSize <= 0)
        {
            throw new DaboException($"--batch-size {batchSize}: must be positive");
        }
        _set = set;
        BatchSize = batchSize;
        DropLast = dropLast && set.Count >= batchSize;
        _generator = new Generator((ulong)seed);
    }

    /// <summary>Images in the set the batches are drawn from.</summary>
    public int Count => _set.Count;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether an incomplete last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => DropLast ? _set.Count / BatchSize : (_set.Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch in a fresh random order. Tensors belong to the caller's dispose scope.</summary>
    public IEnumerable<(Tensor Images, Tensor Labels)> Epoch()
    {
        using var order = randperm(_set.Count, generator: _generator);
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            long start = (long)b * BatchSize;
            long length = Math.Min(BatchSize, _set.Count - start);
            using var index = order.narrow(0, start, length);
            yield return _set.Gather(index);
        }
    }

    /// <summary>
    /// The next batch of an endless stream that walks through the set in random order and
    /// reshuffles when it runs out (used for the validation batches of the hypergradient).
    /// </summary>
    public (Tensor Images, Tensor Labels) Next()
    {
        if (_order is null || _position + BatchSize > _order.shape[0])
        {
            _order?.Dispose();
            _order = randperm(_set.Count, generator: _generator).DetachFromDisposeScope();
            _position = 0;
        }
        long length = Math.Min(BatchSize, _set.Count);
        using var index = _order.narrow(0, _position, length);
        _position += length;
        return _set.Gather(index);
    }

    /// <summary>
    /// Writes everything the next batches depend on, for checkpoints: the generator's state and,
    /// for the endless stream, its current pass (permutation and cursor), which a resumed run must
    /// continue rather than reshuffle.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        using (var state = _generator.get_state())
        {
            state.Save(writer);
        }
        writer.Write(_order is not null);
        if (_order is not null)
        {
            _order.Save(writer);
            writer.Write(_position);
        }
    }

    /// <summary>Restores the state written by <see cref="Save"/>.</summary>
    public void Load(BinaryReader reader)
    {
        using (var state = TensorExtensionMethods.Load(reader))
        {
            _generator.set_state(state);
        }
        _order?.Dispose();
        _order = null;
        _position = 0;
        if (reader.ReadBoolean())
        {
            var order = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
            long position = reader.ReadInt64();
            if (order.dim() != 1 || order.shape[0] != _set.Count || order.dtype != ScalarType.Int64 || position < 0 || position > order.shape[0])
            {
                order.Dispose();
                throw new InvalidDataException($"sampler state of another data set ({_set.Count} images)");
            }
            _order = order;
            _position = position;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _order?.Dispose();
        _generator.Dispose();
    }
}
