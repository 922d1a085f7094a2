using Dabo.Augmentation.Policies;

namespace Dabo.Augmentation.Fixed;

/// <summary>
/// Resolves method names such as <c>standard+trivialaugment</c> through one registry of
/// name → factory, and separates a method's fixed part from its learned part.
/// </summary>
public static class FixedAugmentationParser
{
    /// <summary>Prefix that marks a learned augmenter (handled elsewhere), e.g. <c>learned-affine</c>.</summary>
    public const string LearnedPrefix = "learned";

    /// <summary>
    /// Builds one augmentation from the text after an optional <c>:</c> in its name (null when there
    /// is none, e.g. <c>0.5</c> for <c>random-affine:0.5</c>) and the data options.
    /// </summary>
    public delegate IFixedAugmentation Factory(string? argument, FixedAugmentationOptions options);

    // The registry: adding a fixed augmentation is adding one line here (its syntax is what --help shows).
    private static readonly Dictionary<string, Entry> Registry = new(StringComparer.Ordinal)
    {
        ["none"] = new("none", (a, o) => NoArgument("none", a, new NoAugmentation())),
        ["standard"] = new("standard", (a, o) => NoArgument("standard", a, o.AllowFlip ? new StandardAugmentation() : new StandardAugmentation(flip: false))),
        ["crop"] = new("crop", (a, o) => NoArgument("crop", a, new StandardAugmentation(flip: false))),
        ["flip"] = new("flip", (a, o) => NoArgument("flip", a, new StandardAugmentation(flip: true, padding: 0))),
        ["randaugment"] = new("randaugment[:N:M]", (a, o) => ParseRandAugment(a)),
        ["trivialaugment"] = new("trivialaugment", (a, o) => NoArgument("trivialaugment", a, new TrivialAugment())),
        ["autoaugment"] = new("autoaugment", (a, o) => NoArgument("autoaugment", a, new AutoAugment())),
        ["random-affine"] = new("random-affine[:m]", (a, o) => new RandomAffine(AugmentationArguments.Magnitude("random-affine", a, 0.5))),
        ["policy"] = new("policy:FILE", (a, o) => new FixedPolicy(string.IsNullOrEmpty(a) ? throw new DaboException("augmentation 'policy': write policy:FILE with the policy.json of a learned-policy run") : a, o.Channels)),
        ["uniform-policy"] = new("uniform-policy" + PolicyArguments.Syntax, (a, o) =>
        {
            var policy = PolicyArguments.Parse("uniform-policy", a);
            return new UniformPolicy(policy.Slots, ranges: policy.Ranges);
        }),
    };

    /// <summary>How each registered augmentation is written, arguments included (e.g. <c>random-affine[:m]</c>), in registration order.</summary>
    public static IReadOnlyList<string> Syntaxes => [.. Registry.Values.Select(e => e.Syntax)];

    /// <summary>The registered names, in registration order.</summary>
    public static IReadOnlyList<string> Names => [.. Registry.Keys];

    /// <summary>
    /// Parses fixed augmentation names joined by <c>+</c> (applied left to right), each optionally
    /// followed by <c>:argument</c>. A single name gives that augmentation, several a
    /// <see cref="ComposedAugmentation"/>.
    /// </summary>
    /// <param name="method">E.g. <c>standard</c>, <c>standard+trivialaugment</c>, <c>random-affine:0.5</c>.</param>
    /// <param name="channels">Image channels of the data (1 or 3).</param>
    /// <param name="allowFlip">False for data a mirror changes (digits): <c>standard</c> then only crops.</param>
    /// <exception cref="DaboException">Unknown or empty names, learned parts, or bad arguments.</exception>
    public static IFixedAugmentation Parse(string method, int channels, bool allowFlip = true)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (channels is not (1 or 3))
        {
            throw new DaboException($"augmentation '{method}': images have {channels} channels; the fixed augmentations support 1 or 3");
        }
        var options = new FixedAugmentationOptions(channels, allowFlip);
        var parts = Tokenize(method).Select(p => Registry[p.Name].Create(p.Argument, options)).ToList();
        return parts.Count == 1 ? parts[0] : new ComposedAugmentation(parts);
    }

    /// <summary>
    /// Splits fixed augmentation names joined by <c>+</c> into (name, argument) pairs and checks each name
    /// against the registry, without building anything (arguments are checked by <see cref="Parse"/>).
    /// </summary>
    /// <param name="method">E.g. <c>standard+random-affine:0.5</c>.</param>
    /// <exception cref="DaboException">Unknown or empty names, or learned parts.</exception>
    public static IReadOnlyList<FixedPart> Tokenize(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parts = new List<FixedPart>();
        foreach (var raw in method.Split('+'))
        {
            // Names are case-insensitive; arguments (a file for policy:FILE) are kept as written.
            var token = raw.Trim();
            var colon = token.IndexOf(':', StringComparison.Ordinal);
            var name = (colon < 0 ? token : token[..colon]).ToLowerInvariant();
            var argument = colon < 0 ? null : token[(colon + 1)..];
            if (name.StartsWith(LearnedPrefix, StringComparison.Ordinal))
            {
                throw new DaboException($"augmentation '{method}': '{raw.Trim()}' is a learned augmenter, not a fixed one; split the method with {nameof(FixedAugmentationParser)}.{nameof(Split)} first");
            }
            if (!Registry.ContainsKey(name))
            {
                var what = name.Length == 0 ? "an empty name" : $"unknown name '{name}'";
                throw new DaboException($"augmentation '{method}': {what}; valid names: {string.Join(", ", Registry.Keys)} (combine with '+', e.g. standard+trivialaugment)");
            }
            parts.Add(new FixedPart(name, argument));
        }
        return parts;
    }

    /// <summary>
    /// Splits a method into its fixed part (the <c>+</c>-joined names before the first name that
    /// starts with <c>learned</c>) and its learned part (the rest, verbatim, so that a run
    /// directory in <c>learned:RUN_DIR</c> may contain <c>+</c> or <c>:</c>).
    /// </summary>
    /// <example><c>standard+learned-affine</c> → (<c>standard</c>, <c>learned-affine</c>);
    /// <c>none</c> → (<c>none</c>, null); <c>learned:runs/a</c> → (null, <c>learned:runs/a</c>).</example>
    /// <param name="method">The method as written.</param>
    /// <param name="isLearned">Also starts the learned part: a name a registered learned kind claims (null: only the prefix).</param>
    public static AugmentationMethod Split(string method, Func<string, bool>? isLearned = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var parts = method.Split('+');
        var learnedAt = Array.FindIndex(parts, p => p.Trim().StartsWith(LearnedPrefix, StringComparison.OrdinalIgnoreCase) || (isLearned?.Invoke(p.Trim()) ?? false));
        if (learnedAt < 0)
        {
            return new AugmentationMethod(Blank(method) ? null : method.Trim(), null);
        }
        var fixedPart = string.Join('+', parts[..learnedAt]);
        var learnedPart = string.Join('+', parts[learnedAt..]);
        return new AugmentationMethod(Blank(fixedPart) ? null : fixedPart.Trim(), learnedPart.Trim());
    }

    /// <summary><c>randaugment</c> or <c>randaugment:N:M</c> (N operations at magnitude bin M of 31).</summary>
    private static RandAugment ParseRandAugment(string? argument)
    {
        if (argument is null)
        {
            return new RandAugment();
        }
        var parts = argument.Split(':');
        if (parts.Length != 2)
        {
            throw new DaboException($"augmentation 'randaugment:{argument}': write randaugment:N:M, e.g. randaugment:2:9 (N operations per image, magnitude bin M from 0 to 30)");
        }
        var n = AugmentationArguments.Count("randaugment", parts[0], 2, 0, 8);
        var m = AugmentationArguments.Count("randaugment", parts[1], 9, 0, 30);
        return new RandAugment(n, m);
    }

    private static IFixedAugmentation NoArgument(string name, string? argument, IFixedAugmentation augmentation) =>
        argument is null ? augmentation : throw new DaboException($"augmentation '{name}:{argument}': '{name}' takes no argument; write '{name}'");

    private static bool Blank(string s) => string.IsNullOrWhiteSpace(s);

    private sealed record Entry(string Syntax, Factory Create);
}
