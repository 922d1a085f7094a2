using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Dabo.Models;
using static TorchSharp.torch;

namespace Dabo.Training.Runs;

/// <summary>
/// Hashes that show two runs are paired: the labelled images they drew (the stratified subset of the
/// training split, before any validation split) and the classifier's initial weights. A benchmark that
/// compares methods at a seed relies on both being equal for every method; <c>summary.json</c> records them.
/// </summary>
public static class RunFingerprint
{
    /// <summary>SHA-256 (hex) of the sorted indices of the labelled images; null when not drawn from a dataset.</summary>
    public static string? Subset(IReadOnlyList<long>? indices)
    {
        if (indices is null)
        {
            return null;
        }
        long[] sorted = [.. indices.Order()];
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(sorted.AsSpan())));
    }

    /// <summary>SHA-256 (hex) of the classifier's weights in their fixed order (float32 values, shapes included).</summary>
    public static string Weights(Classifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var scope = NewDisposeScope();
        foreach (var weight in model.Weights)
        {
            hash.AppendData(MemoryMarshal.AsBytes(weight.shape.AsSpan()));
            var values = weight.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
            hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
