using System.Globalization;
using System.Text;
using Dabo.Augmentation.Differentiable;
using Dabo.Augmentation.Learned;
using static TorchSharp.torch;

namespace Dabo.Augmentation.Policies;

/// <summary>
/// A learned augmentation written as <c>torchvision.transforms.v2</c> Python text, to take it to
/// PyTorch: learned ranges (<see cref="LearnedRanges"/>) become <c>v2.RandomApply</c> of
/// <c>v2.ColorJitter</c> and <c>v2.RandomAffine</c>; a learned policy, which torchvision cannot
/// express (it has no weighted TrivialAugment), becomes a comment listing each slot's operations by
/// probability with the stock transform its prior equals. Wherever torchvision cannot express the
/// learned augmentation exactly, a comment line says how it differs. Pure text: no I/O but
/// <see cref="ForFile"/>'s read.
/// </summary>
public static class TorchvisionText
{
    /// <summary>File name of the text in a run directory.</summary>
    public const string FileName = "torchvision.txt";

    /// <summary>The text for the <c>policy.json</c> at <paramref name="path"/>, of either format.</summary>
    /// <param name="path">A <see cref="RangesFile"/> or <see cref="PolicyFile"/>.</param>
    /// <param name="before">The fixed augmentation the run applied first (e.g. <c>standard</c>), or null.</param>
    /// <exception cref="DaboException">A missing or invalid file.</exception>
    public static string ForFile(string path, string? before = null)
    {
        if (RangesFile.FormatOf(path) == RangesFile.Format)
        {
            return For(RangesFile.Read(path), path, before);
        }
        var (policy, _) = PolicyFile.Read(path);
        using (policy)
        {
            return For(policy, path, before);
        }
    }

    /// <summary>Learned ranges as <c>v2.RandomApply([v2.ColorJitter(…), v2.RandomAffine(…)], p=…)</c>.</summary>
    /// <param name="ranges">The ranges.</param>
    /// <param name="source">Where they come from, for the first comment line (or null).</param>
    /// <param name="before">The fixed augmentation the run applied first, or null.</param>
    public static string For(LearnedRanges ranges, string? source = null, string? before = null)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var text = new StringBuilder();
        var notes = new List<string>();
        string kind = ranges.Parametrization.ToString().ToLowerInvariant();
        text.Append(Invariant($"# torchvision.transforms.v2 equivalent of {(source is null ? "learned ranges" : source)} ({ranges.Augmenter}, {kind} parametrization)\n"));
        text.Append(ranges.Estimated
            ? Invariant($"# Estimated: the augmenter's ranges are the central {100 * (ranges.Coverage ?? LearnedRanges.DefaultCoverage):0.#} % of its draws; its distribution is not uniform on them.\n")
            : "# Exact ranges: Dabo draws every parameter uniformly in its range, independently, as torchvision does.\n");
        if (before is not null)
        {
            text.Append(Invariant($"# The run applied the fixed augmentation '{before}' first; it is not included here.\n"));
        }
        text.Append("from torchvision.transforms import v2\n\n");

        var transforms = new List<string>();
        if (ColorJitter(ranges, notes) is { } jitter)
        {
            transforms.Add(jitter);
        }
        if (RandomAffine(ranges, notes) is { } affine)
        {
            transforms.Add(affine);
        }
        text.Append("augment = v2.RandomApply([\n");
        foreach (var t in transforms)
        {
            text.Append("    ").Append(t).Append(",\n");
        }
        text.Append(Invariant($"], p={Number(ranges.ApplyProbability)})\n"));
        if (notes.Count > 0)
        {
            text.Append("# Where torchvision differs from Dabo:\n");
            foreach (var note in notes)
            {
                text.Append("# - ").Append(note).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A learned policy: torchvision has no weighted TrivialAugment, so the text gives the stock
    /// transform equal to the policy's uniform prior and, as comments, each slot's operations by
    /// learned probability with their mean magnitudes.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="source">Where it comes from, for the first comment line (or null).</param>
    /// <param name="before">The fixed augmentation the run applied first, or null.</param>
    /// <param name="top">How many operations per slot to list (all when larger than the count).</param>
    public static string For(PolicyDistribution policy, string? source = null, string? before = null, int top = 6)
    {
        ArgumentNullException.ThrowIfNull(policy);
        using var scope = NewDisposeScope();
        var space = policy.Space;
        int k = space.Count;
        int b = space.Bins;
        var ops = policy.OperationProbabilities().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var bins = policy.MagnitudeProbabilities().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        bool wide = space.Entries.All(e => e.Range is null || PolicySpace.TrivialAugmentWide(3, b).Entries
            .FirstOrDefault(w => w.Operation.Name == e.Operation.Name)?.Range == e.Range);
        var text = new StringBuilder();
        text.Append(Invariant($"# torchvision.transforms.v2 and the learned policy {(source is null ? "" : source + " ")}({policy.Slots} slot(s), {k} operations, {b} magnitude bins)\n"));
        text.Append("# torchvision has no weighted TrivialAugment or RandAugment: the learned probabilities below cannot be\n");
        text.Append("# written with its stock transforms (a custom transform drawing each slot's operation and magnitude bin\n");
        text.Append("# from these probabilities would reproduce it). What follows is the policy's uniform prior, which the learned\n");
        text.Append(Invariant($"# policy starts from and reweights (Dabo's uniform-policy:{policy.Slots}{(wide ? "" : ":narrow")}):\n"));
        if (before is not null)
        {
            text.Append(Invariant($"# The run applied the fixed augmentation '{before}' first; it is not included here.\n"));
        }
        text.Append("from torchvision.transforms import v2\n\n");
        string stock = wide ? Invariant($"v2.TrivialAugmentWide(num_magnitude_bins={b})") : Invariant($"v2.RandAugment(num_ops=1, magnitude={b / 2}, num_magnitude_bins={b})");
        text.Append(policy.Slots == 1
            ? Invariant($"prior = {stock}\n")
            : Invariant($"prior = v2.Compose([{string.Join(", ", Enumerable.Repeat(stock, policy.Slots))}])\n"));
        if (!wide)
        {
            text.Append("# - narrow ranges: RandAugment uses one fixed magnitude, not a uniform bin; the prior draws the bin uniformly.\n");
        }
        var standard = PolicySpace.TrivialAugmentWide(3, b).Operations.Select(o => o.Name).ToList();
        var names = space.Operations.Select(o => o.Name).ToList();
        if (names.SequenceEqual(standard.Where(n => n != "color")))
        {
            text.Append("# - the policy leaves out colour (grayscale data); TrivialAugmentWide's colour step is then the identity on one channel.\n");
        }
        else if (!names.Order(StringComparer.Ordinal).SequenceEqual(standard.Order(StringComparer.Ordinal)))
        {
            text.Append(Invariant($"# - the policy's operations ({string.Join(", ", names)}) are not TrivialAugmentWide's {standard.Count}: the stock prior above draws from another set.\n"));
        }
        text.Append(Invariant($"# Learned, per slot (prior {Number(100.0 / k, 1)} % each; mean magnitude in the operation's unit):\n"));
        for (int s = 0; s < policy.Slots; s++)
        {
            var ranked = Enumerable.Range(0, k).OrderByDescending(o => ops[(s * k) + o]).Take(Math.Max(1, top)).Select(o =>
            {
                var entry = space.Entries[o];
                string magnitude = "";
                if (entry.Range is { } range)
                {
                    double mean = Enumerable.Range(0, b).Sum(i => bins[(((s * k) + o) * b) + i] * Math.Abs(range.At(i, b)));
                    string unit = entry.Operation.Unit.Length == 0 ? "" : " " + entry.Operation.Unit;
                    magnitude = Invariant($" ({Number(mean, 3)}{unit})");
                }
                return Invariant($"{entry.Operation.Name} {Number(100 * ops[(s * k) + o], 1)} %{magnitude}");
            });
            text.Append(Invariant($"# slot {s + 1}: {string.Join(", ", ranked)}{(k > top ? ", …" : "")}\n"));
        }
        return text.ToString();
    }

    private static string? ColorJitter(LearnedRanges ranges, List<string> notes)
    {
        var arguments = new List<string>();
        foreach (var name in new[] { "brightness", "contrast", "saturation", "hue" })
        {
            if (ranges.Find(name) is { } r)
            {
                arguments.Add(Invariant($"{name}=({Number(r.Min)}, {Number(r.Max)})"));
            }
        }
        if (arguments.Count == 0)
        {
            return null;
        }
        if (arguments.Count > 1)
        {
            notes.Add("ColorJitter applies its adjustments in a random order; Dabo applies brightness, contrast, saturation, hue in that order (each clamped to [0, 1]).");
        }
        return $"v2.ColorJitter({string.Join(", ", arguments)})";
    }

    private static string? RandomAffine(LearnedRanges ranges, List<string> notes)
    {
        var (tx, ty, rotate, scale) = (ranges.Find("translate-x"), ranges.Find("translate-y"), ranges.Find("rotate"), ranges.Find("scale"));
        var (shearX, shearY) = (ranges.Find("shear-x"), ranges.Find("shear-y"));
        if (tx is null && ty is null && rotate is null && scale is null && shearX is null && shearY is null)
        {
            return null;
        }
        var arguments = new List<string> { rotate is null ? "degrees=0" : Invariant($"degrees=({Number(rotate.Min)}, {Number(rotate.Max)})") };
        if (tx is not null || ty is not null)
        {
            arguments.Add(Invariant($"translate=({Number(tx?.Reach ?? 0)}, {Number(ty?.Reach ?? 0)})"));
            foreach (var (r, axis, size) in new[] { (tx, "horizontal", "width"), (ty, "vertical", "height") })
            {
                if (r is not null && !r.IsSymmetric)
                {
                    notes.Add(Invariant($"translate: torchvision draws a symmetric shift; Dabo's learned {axis} shift is [{Number(r.Min)}, {Number(r.Max)}] of the {size}, which translate={Number(r.Reach)} covers but widens."));
                }
            }
            notes.Add("translate: torchvision rounds shifts to whole pixels; Dabo shifts by fractions of a pixel.");
        }
        if (scale is not null)
        {
            arguments.Add(Invariant($"scale=({Number(scale.Min)}, {Number(scale.Max)})"));
        }
        if (shearX is not null || shearY is not null)
        {
            // Dabo shears x' = x + tan(s)·y (y pointing down); torchvision's shear is x' = x − tan(s)·y: the ranges change sign.
            string x = shearX is null ? "0, 0" : Invariant($"{Number(-shearX.Max)}, {Number(-shearX.Min)}");
            string y = shearY is null ? "0, 0" : Invariant($"{Number(-shearY.Max)}, {Number(-shearY.Min)}");
            arguments.Add($"shear=({x}, {y})");
            notes.Add("shear: torchvision's positive shear is Dabo's negative (x' = x − tan(s)·y against x' = x + tan(s)·y), so the ranges above are Dabo's negated.");
            if (shearX is not null && shearY is not null)
            {
                notes.Add("shear: torchvision shears along x, then y; Dabo along y, then x (a difference of tan(sx)·tan(sy), small for small angles).");
            }
        }
        arguments.Add("interpolation=v2.InterpolationMode.BILINEAR");
        if (ranges.Padding == PaddingMode.Zeros)
        {
            arguments.Add("fill=0");
        }
        else
        {
            notes.Add(Invariant($"padding: Dabo pads with '{ranges.Padding.ToString().ToLowerInvariant()}'; RandomAffine fills with a constant (fill=0 here)."));
        }
        return $"v2.RandomAffine({string.Join(", ", arguments)})";
    }

    /// <summary>A number as Python reads it, to <paramref name="decimals"/> decimals without trailing zeros.</summary>
    private static string Number(double value, int decimals = 4)
    {
        double rounded = Math.Round(value, decimals);
        return (rounded == 0 ? 0 : rounded).ToString("0.#########", CultureInfo.InvariantCulture);
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
