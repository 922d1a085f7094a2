using Dabo.Methods;
using Dabo.Models;

namespace Dabo.Cli;

/// <summary>
/// Help texts drawn from the registries, so that a new model or method shows in <c>--help</c> without
/// editing a description: an attribute writes a placeholder and <see cref="PlainTextHelpProvider"/>
/// expands it when help is shown.
/// </summary>
public static class RegistryHelp
{
    /// <summary>Placeholder for every method form (<see cref="MethodSpec.Syntaxes"/>).</summary>
    public const string Methods = "{methods}";

    /// <summary>Placeholder for every model name (<see cref="ModelRegistry.Names"/>).</summary>
    public const string Models = "{models}";

    /// <summary>Placeholder for every method option of <c>--set</c> (<see cref="MethodRegistry.Options"/>).</summary>
    public const string MethodOptions = "{method-options}";

    /// <summary><paramref name="text"/> with the placeholders replaced by the registries' current names.</summary>
    public static string? Expand(string? text) => text?
        .Replace(Methods, string.Join(", ", MethodSpec.Syntaxes), StringComparison.Ordinal)
        .Replace(Models, string.Join(", ", ModelRegistry.Names), StringComparison.Ordinal)
        .Replace(MethodOptions, MethodRegistry.Options.Count == 0 ? "none declared yet"
            : string.Join("; ", MethodRegistry.Options.Select(o => $"{o.Option.Key} ({o.Option.Help}, {o.Option.Range.Describe()})")), StringComparison.Ordinal);
}
