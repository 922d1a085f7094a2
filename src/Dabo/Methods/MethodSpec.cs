using Dabo.Augmentation.Fixed;
using Dabo.Augmentation.Policies;
using Dabo.Training;

namespace Dabo.Methods;

/// <summary>
/// A method of the method language, parsed once: fixed augmentations joined by <c>+</c> (applied left to
/// right, e.g. <c>standard+randaugment:2:9</c>, <c>random-affine:0.5</c>, <c>policy:FILE</c>), then at most one
/// learned part (<c>learned-affine</c>, <c>learned-policy[:S][:wide|narrow]</c>, <c>learned:RUN_DIR</c>);
/// or, in a comparison, <c>grid:FAMILY</c>. Parsing checks the syntax and the names, never files;
/// <see cref="ToString"/> gives text that parses back to an equal value.
/// </summary>
public sealed class MethodSpec : IEquatable<MethodSpec>
{
    /// <summary>Prefix of a grid search in a comparison, <c>grid:FAMILY</c>.</summary>
    public const string GridPrefix = "grid:";

    private MethodSpec(IReadOnlyList<FixedPart> fixedParts, LearnedPart? learned, string? gridFamily)
    {
        Fixed = fixedParts;
        Learned = learned;
        GridFamily = gridFamily;
    }

    /// <summary>How each learned part is written (<see cref="MethodRegistry.Syntaxes"/>).</summary>
    public static IReadOnlyList<string> LearnedSyntaxes => MethodRegistry.Syntaxes;

    /// <summary>Every form a method's part may take, fixed ones first (e.g. <c>random-affine[:m]</c>, <c>learned-affine</c>): what <c>--augment</c>'s help lists.</summary>
    public static IReadOnlyList<string> Syntaxes => [.. FixedAugmentationParser.Syntaxes, .. LearnedSyntaxes];

    /// <summary>No augmentation, <c>none</c>.</summary>
    public static MethodSpec None { get; } = new([new FixedPart("none", null)], null, null);

    /// <summary>
    /// <c>auto</c>, the method Dabo recommends: short proxy runs choose how much to augment (none or RandAugment at two
    /// strengths), then the choice trains on every labelled image (<see cref="Training.RunSummary.Chosen"/> says which).
    /// </summary>
    public static MethodSpec Auto => Parse(AutoKind.AutoName);

    /// <summary>The fixed augmentations in order (empty when the method is only learned, or a grid).</summary>
    public IReadOnlyList<FixedPart> Fixed { get; }

    /// <summary>The learned part, or null.</summary>
    public LearnedPart? Learned { get; }

    /// <summary>Whether the method is a control of its kind (its signal shuffled), e.g. <c>auto-shuffled</c>.</summary>
    public bool IsControl => Learned?.IsControl == true;

    /// <summary>The family of <c>grid:FAMILY</c> (e.g. <c>random-affine</c>), or null.</summary>
    public string? GridFamily { get; }

    /// <summary>The fixed part as text (e.g. <c>standard+trivialaugment</c>), or null when there is none.</summary>
    public string? FixedText => Fixed.Count == 0 ? null : string.Join('+', Fixed);

    /// <summary>A learned policy with <paramref name="slots"/> slots over the given ranges, after optional fixed augmentations.</summary>
    public static MethodSpec LearnedPolicy(int slots = PolicyArguments.DefaultSlots, PolicyRanges ranges = PolicyRanges.Wide) =>
        Parse(LearnedPolicyKind.Text(new PolicyArguments(slots, ranges)));

    /// <summary>
    /// Parses a method. Fixed names are case-insensitive and checked against the registry; their arguments
    /// are checked when the augmentation is built (<see cref="FixedAugmentationParser.Parse"/>).
    /// </summary>
    /// <param name="method">E.g. <c>none</c>, <c>standard+learned-affine</c>, <c>learned-policy:1</c>, <c>learned:runs/a</c>.</param>
    /// <param name="allowGrid">Whether <c>grid:FAMILY</c> is accepted (comparisons only).</param>
    /// <exception cref="DaboException">Empty methods, unknown names, a learned part that is not last, bad policy arguments.</exception>
    public static MethodSpec Parse(string method, bool allowGrid = false)
    {
        if (string.IsNullOrWhiteSpace(method))
        {
            throw new DaboException("--augment: empty method; use e.g. none, standard, trivialaugment or learned-affine");
        }
        if (allowGrid && method.StartsWith(GridPrefix, StringComparison.Ordinal))
        {
            return new MethodSpec([], null, method[GridPrefix.Length..]);
        }
        var split = FixedAugmentationParser.Split(method, MethodRegistry.Claims);
        var fixedParts = split.Fixed is null ? [] : FixedAugmentationParser.Tokenize(split.Fixed);
        var learned = split.Learned is null ? null : ParseLearned(split.Learned);
        return new MethodSpec(fixedParts, learned, null);
    }

    /// <summary>
    /// Refuses a list of methods that names one method twice, compared as parsed (<c>none</c> and
    /// <c>NONE</c> are one method): it would train the same runs twice and report them as two methods.
    /// </summary>
    /// <param name="methods">The methods, e.g. of <c>--methods</c>.</param>
    /// <param name="flag">The flag that gave them, for the message.</param>
    /// <exception cref="DaboException">A method given twice, or one that does not parse.</exception>
    public static void RequireDistinct(IReadOnlyList<string> methods, string flag)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            string key = Parse(method, allowGrid: true).ToString();
            if (seen.TryGetValue(key, out var earlier))
            {
                throw new DaboException(earlier == method
                    ? $"{flag}: '{method}' is given twice; give each method once"
                    : $"{flag}: '{method}' is the same method as '{earlier}'; give each method once");
            }
            seen[key] = method;
        }
    }

    private static LearnedPart ParseLearned(string learned)
    {
        if (MethodRegistry.Find(learned) is var (kind, arguments))
        {
            return new LearnedPart(kind, learned, arguments);
        }
        if (learned.Contains('+', StringComparison.Ordinal))
        {
            throw new DaboException($"--augment: '{learned}': a learned augmenter must come last (fixed augmentations first, e.g. standard+learned-affine)");
        }
        throw new DaboException($"--augment: unknown learned augmenter '{learned}'; valid: {string.Join(", ", LearnedSyntaxes)}");
    }

    /// <summary>
    /// The method that trains, with its options read from <paramref name="config"/> (the one place where a method's
    /// text becomes a <see cref="TrainingMethod"/>; the run specification calls it).
    /// </summary>
    /// <param name="config">The run's configuration.</param>
    /// <exception cref="DaboException">A grid, which is a search over methods rather than one method.</exception>
    public TrainingMethod Resolve(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (GridFamily is not null)
        {
            throw new DaboException($"--augment {this}: a grid search is run by compare, not by one training run");
        }
        return Learned is { } learned ? learned.Kind.Create(Fixed, learned.Text, learned.Arguments, config) : new FixedMethod(Fixed);
    }

    /// <summary>The method as text: <c>FIXED+LEARNED</c>, <c>FIXED</c>, <c>LEARNED</c> or <c>grid:FAMILY</c>.</summary>
    public override string ToString() =>
        GridFamily is not null ? GridPrefix + GridFamily
        : string.Join('+', Fixed.Select(f => f.ToString()).Concat(Learned is null ? [] : [Learned.Text]));

    /// <inheritdoc />
    public bool Equals(MethodSpec? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MethodSpec);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
