namespace Dabo.Methods;

/// <summary>
/// The registry of learned method kinds, in the order they are tried on a learned part's text. Adding a kind of
/// method is one file (its <see cref="MethodKind"/> and <see cref="TrainingMethod"/>) and one line here.
/// </summary>
public static class MethodRegistry
{
    private static readonly List<MethodKind> Registered =
    [
        new TransferKind(),
        new LearnedPolicyKind(),
        new LearnedAugmenterKind(),
        new AutoKind(),
    ];

    private static readonly Lock Gate = new();

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyList<MethodKind> Kinds
    {
        get
        {
            lock (Gate)
            {
                return [.. Registered];
            }
        }
    }

    /// <summary>How each learned part is written, for help and errors.</summary>
    public static IReadOnlyList<string> Syntaxes => [.. Kinds.SelectMany(k => k.Syntaxes)];

    /// <summary>Every kind's <c>--set</c> options, with the kind that declares each.</summary>
    public static IReadOnlyList<(MethodKind Kind, MethodOption Option)> Options => [.. Kinds.SelectMany(k => k.Options.Select(o => (k, o)))];

    /// <summary>Adds a kind (a plug-in of an application, or a test's); its texts must not be another kind's.</summary>
    /// <param name="kind">The kind.</param>
    public static void Register(MethodKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (Gate)
        {
            if (!Registered.Any(k => k.GetType() == kind.GetType()))
            {
                Registered.Add(kind);
            }
        }
    }

    /// <summary>Whether a registered kind claims <paramref name="name"/> (one <c>+</c>-separated name of a method), even with bad arguments.</summary>
    /// <param name="name">The name, e.g. <c>learned-policy:2</c>.</param>
    public static bool Claims(string name)
    {
        try
        {
            return Find(name) is not null;
        }
        catch (DaboException)
        {
            return true;
        }
    }

    /// <summary>The kind that accepts <paramref name="text"/> and its parsed arguments, or null when none does.</summary>
    /// <exception cref="DaboException">A kind recognizes the text but its arguments are bad.</exception>
    public static (MethodKind Kind, object? Arguments)? Find(string text)
    {
        foreach (var kind in Kinds)
        {
            if (kind.TryParse(text, out var arguments))
            {
                return (kind, arguments);
            }
        }
        return null;
    }
}
