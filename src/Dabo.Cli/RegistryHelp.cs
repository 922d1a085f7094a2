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

    /// <summary><paramref name="text"/> with the placeholders replaced by the registries' current names.</summary>
    public static string? Expand(string? text) => text?
        .Replace(Methods, string.Join(", ", MethodSpec.Syntaxes), StringComparison.Ordinal)
        .Replace(Models, string.Join(", ", ModelRegistry.Names), StringComparison.Ordinal);
}
