using TorchSharp;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// Applies a different operation to each image of a batch in one call: the batch is grouped by
/// operation (<c>index_select</c>), each group goes through its operation's batched apply, and the
/// results are put back in place. All geometric operations of the batch form one group, warped in
/// a single pass. The loop runs over operations, never over images.
/// </summary>
public static class MixedOperations
{
    /// <summary>Image i gets <paramref name="operations"/>[<paramref name="choices"/>[i]] at its own magnitude.</summary>
    /// <param name="images">uint8 <c>[N, C, H, W]</c>; not modified.</param>
    /// <param name="operations">The operations that <paramref name="choices"/> index.</param>
    /// <param name="choices">int64 <c>[N]</c>, indices into <paramref name="operations"/>.</param>
    /// <param name="magnitudes">float64 <c>[N]</c>, each in its operation's unit.</param>
    /// <param name="positions">float32 <c>[N, 2]</c> in [0, 1) (for crop and cutout).</param>
    /// <returns>A new uint8 <c>[N, C, H, W]</c> tensor.</returns>
    /// <exception cref="DaboException">An operation that needs RGB on a 1-channel batch.</exception>
    public static Tensor Apply(Tensor images, IReadOnlyList<Operation> operations, Tensor choices, Tensor magnitudes, Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(choices);
        ArgumentNullException.ThrowIfNull(magnitudes);
        ArgumentNullException.ThrowIfNull(positions);
        var (n, h, w) = (images.shape[0], images.shape[2], images.shape[3]);
        if (choices.ndim != 1 || choices.shape[0] != n || magnitudes.shape[0] != n || positions.shape[0] != n)
        {
            throw new ArgumentException($"expected [{n}] operation choices, [{n}] magnitudes and [{n}, 2] positions");
        }
        // The draws are small: read them once and group on the CPU side.
        var chosen = choices.to_type(ScalarType.Int64).data<long>().ToArray();
        var m = magnitudes.to_type(ScalarType.Float64).data<double>().ToArray();
        var u = positions.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var groups = new List<int>?[operations.Count];
        List<int>? geometric = null;
        for (int i = 0; i < n; i++)
        {
            if (chosen[i] < 0 || chosen[i] >= operations.Count)
            {
                throw new ArgumentException($"operation choice {chosen[i]} of image {i} is outside [0, {operations.Count})", nameof(choices));
            }
            var op = operations[(int)chosen[i]];
            if (op.NeedsRgb && images.shape[1] != 3)
            {
                throw new DaboException($"operation {op.Name} needs RGB images (3 channels) but the batch has {images.shape[1]}; leave it out for grayscale data");
            }
            if (op.Name == "identity")
            {
                continue;
            }
            if (op.Geometry is not null)
            {
                (geometric ??= []).Add(i);
            }
            else
            {
                (groups[chosen[i]] ??= []).Add(i);
            }
        }

        using var scope = NewDisposeScope();
        // Each group's result, in group order; unchanged images are one more group. One cat and one
        // index_select put them back in batch order (cheaper than an index_copy_ per group).
        var order = new List<int>(checked((int)n));
        var parts = new List<Tensor>();
        void Add(List<int> members, Tensor result)
        {
            order.AddRange(members);
            parts.Add(result);
        }
        if (geometric is not null)
        {
            var settings = geometric.Select(i => operations[(int)chosen[i]].Geometry!(m[i], u[2 * i], u[2 * i + 1], h, w)).ToList();
            Add(geometric, AffineWarp.Apply(images.index_select(0, Index(geometric)), settings));
        }
        for (int k = 0; k < operations.Count; k++)
        {
            if (groups[k] is not { } members)
            {
                continue;
            }
            var groupMagnitudes = tensor(members.Select(i => m[i]).ToArray());
            var groupPositions = tensor(members.SelectMany(i => new[] { u[2 * i], u[2 * i + 1] }).ToArray(), [members.Count, 2]);
            Add(members, operations[k].ApplyChecked(images.index_select(0, Index(members)), groupMagnitudes, groupPositions));
        }
        if (order.Count == 0)
        {
            return images.clone().MoveToOuterDisposeScope();
        }
        var done = new bool[n];
        foreach (var i in order)
        {
            done[i] = true;
        }
        var untouched = Enumerable.Range(0, (int)n).Where(i => !done[i]).ToList();
        if (untouched.Count > 0)
        {
            Add(untouched, images.index_select(0, Index(untouched)));
        }
        // position[i] = where image i's result sits in the concatenation.
        var position = new long[n];
        for (int p = 0; p < order.Count; p++)
        {
            position[order[p]] = p;
        }
        return cat(parts, 0).index_select(0, tensor(position)).MoveToOuterDisposeScope();
    }

    private static Tensor Index(IEnumerable<int> members) => tensor(members.Select(i => (long)i).ToArray());
}
