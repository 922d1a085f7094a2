namespace Dabo.Methods;

/// <summary>The learned part of a method, applied after its fixed parts: which kind wrote it, the text and the kind's parsed arguments.</summary>
/// <param name="Kind">The registered kind that accepted the text (<see cref="MethodRegistry"/>).</param>
/// <param name="Text">The part as written, e.g. <c>learned-policy:1:narrow</c> or <c>learned:runs/a</c>.</param>
/// <param name="Arguments">What the kind parsed from the text (e.g. slots and ranges of a policy), or null when it takes none.</param>
public sealed record LearnedPart(MethodKind Kind, string Text, object? Arguments)
{
    /// <summary>Whether this is a control of its kind (<see cref="MethodKind.IsControl"/>), e.g. <c>learned-policy-shuffled</c>.</summary>
    public bool IsControl => Kind.IsControl(Arguments);

    /// <inheritdoc />
    public override string ToString() => Text;
}
