namespace Dabo.Data;

/// <summary>
/// Deterministic, seeded, class-balanced selections of image indices: subsets of a training set
/// (<c>--train-size</c>) and train/validation splits (<c>--val-ratio</c>). The same labels, size and
/// seed always give the same indices.
/// </summary>
public static class Stratified
{
    /// <summary>
    /// Picks <paramref name="total"/> indices, the same number from each class.
    /// </summary>
    /// <exception cref="DaboException">When <paramref name="total"/> is not a positive multiple of the class
    /// count, or a class has too few images.</exception>
    public static long[] Subset(long[] labels, IReadOnlyList<string> classNames, int total, int seed)
    {
        int classes = classNames.Count;
        if (total <= 0)
        {
            throw new DaboException($"--train-size {total}: must be positive");
        }
        if (total > labels.Length)
        {
            throw new DaboException($"--train-size {total}: larger than the {labels.Length} training images available; pass at most {labels.Length - (labels.Length % classes)}");
        }
        if (total % classes != 0)
        {
            int lower = total - (total % classes);
            throw new DaboException($"--train-size {total}: must be a multiple of the {classes} classes to stratify; use {(lower > 0 ? $"{lower} or " : "")}{lower + classes}");
        }
        int perClass = total / classes;
        var byClass = ShuffledByClass(labels, classes, seed);
        for (int c = 0; c < classes; c++)
        {
            if (byClass[c].Count < perClass)
            {
                throw new DaboException($"--train-size {total}: needs {perClass} images per class but class '{classNames[c]}' has only {byClass[c].Count}; pass at most {byClass.Min(l => l.Count) * classes}");
            }
        }
        return Interleave(byClass.Select(l => l.Take(perClass).ToList()).ToList());
    }

    /// <summary>
    /// Splits indices into training and validation parts, taking <c>round(ratio · n_c)</c> images of
    /// each class c for validation (at least one when the ratio is positive, never all of a class).
    /// </summary>
    public static (long[] Train, long[] Validation) Split(long[] labels, int classCount, double valRatio, int seed)
    {
        if (double.IsNaN(valRatio) || valRatio < 0 || valRatio >= 1)
        {
            throw new DaboException($"--val-ratio {valRatio}: must be in [0, 1), e.g. 0.2");
        }
        var byClass = ShuffledByClass(labels, classCount, seed ^ 0x5bd1e995);
        var train = new List<List<long>>();
        var val = new List<List<long>>();
        foreach (var members in byClass)
        {
            if (valRatio > 0 && members.Count == 1)
            {
                throw new DaboException($"--val-ratio {valRatio}: a class has only {members.Count} training image, too few to hold some out for validation; use --val-ratio 0 or more images");
            }
            int nVal = ValidationCount(members.Count, valRatio);
            val.Add(members.Take(nVal).ToList());
            train.Add(members.Skip(nVal).ToList());
        }
        return (Interleave(train), Interleave(val));
    }

    /// <summary>
    /// Images <see cref="Split"/> holds out of a class of <paramref name="members"/> images:
    /// <c>round(ratio · n)</c>, at least one when the ratio is positive, never all of them.
    /// </summary>
    public static int ValidationCount(int members, double valRatio)
    {
        int nVal = (int)Math.Round(valRatio * members, MidpointRounding.AwayFromZero);
        return valRatio > 0 && members >= 2 ? Math.Clamp(nVal, 1, members - 1) : nVal;
    }

    private static List<long>[] ShuffledByClass(long[] labels, int classes, int seed)
    {
        var byClass = Enumerable.Range(0, classes).Select(_ => new List<long>()).ToArray();
        for (long i = 0; i < labels.Length; i++)
        {
            long label = labels[i];
            if (label < 0 || label >= classes)
            {
                throw new DaboException($"label {label} of image {i} is outside the {classes} classes; the labels do not match the class list");
            }
            byClass[label].Add(i);
        }
        // System.Random with a seed is a fixed algorithm in .NET: the same seed gives the same order.
        var rng = new Random(seed);
        foreach (var members in byClass)
        {
            for (int i = members.Count - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
        }
        return byClass;
    }

    // Round-robin over classes, so any prefix of the result stays roughly balanced.
    private static long[] Interleave(List<List<long>> byClass)
    {
        var result = new List<long>(byClass.Sum(l => l.Count));
        int longest = byClass.Count == 0 ? 0 : byClass.Max(l => l.Count);
        for (int i = 0; i < longest; i++)
        {
            foreach (var members in byClass)
            {
                if (i < members.Count)
                {
                    result.Add(members[i]);
                }
            }
        }
        return result.ToArray();
    }
}
