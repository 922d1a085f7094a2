using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Dabo.Cli;

/// <summary>
/// Spectre's help, with every description shown as plain text: Spectre reads descriptions as markup,
/// so an option text such as <c>random-affine[:m]</c> made <c>--help</c> crash ("Could not find color
/// or style ':m'"). Descriptions are escaped once here instead of in every attribute, after the
/// registries' placeholders are expanded (<see cref="RegistryHelp"/>).
/// </summary>
public sealed class PlainTextHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    /// <inheritdoc />
    public override IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command) =>
        base.Write(new Model(model), command is null ? null : new Info(command));

    private static string? Escape(string? text) => text is null ? null : Markup.Escape(RegistryHelp.Expand(text)!);

    private sealed class Model(ICommandModel inner) : ICommandModel
    {
        public string ApplicationName => inner.ApplicationName;
        public string? ApplicationVersion => inner.ApplicationVersion;
        public IReadOnlyList<string[]> Examples => inner.Examples;
        public IReadOnlyList<ICommandInfo> Commands => [.. inner.Commands.Select(c => new Info(c))];
        public ICommandInfo? DefaultCommand => inner.DefaultCommand is { } d ? new Info(d) : null;
    }

    private sealed class Info(ICommandInfo inner) : ICommandInfo
    {
        public string Name => inner.Name;
        public string? Description => Escape(inner.Description);
        public bool IsBranch => inner.IsBranch;
        public bool IsDefaultCommand => inner.IsDefaultCommand;
        public bool IsHidden => inner.IsHidden;
        public IReadOnlyList<ICommandParameter> Parameters => [.. inner.Parameters.Select(Wrap)];
        public ICommandInfo? Parent => inner.Parent is { } p ? new Info(p) : null;
        public IReadOnlyList<string[]> Examples => inner.Examples;
        public IReadOnlyList<ICommandInfo> Commands => [.. inner.Commands.Select(c => new Info(c))];
        public ICommandInfo? DefaultCommand => inner.DefaultCommand is { } d ? new Info(d) : null;

        private static ICommandParameter Wrap(ICommandParameter p) => p switch
        {
            ICommandOption o => new Option(o),
            ICommandArgument a => new Argument(a),
            _ => p,
        };
    }

    private sealed class Option(ICommandOption inner) : ICommandOption
    {
        public IReadOnlyList<string> LongNames => inner.LongNames;
        public IReadOnlyList<string> ShortNames => inner.ShortNames;
        public string? ValueName => inner.ValueName;
        public bool ValueIsOptional => inner.ValueIsOptional;
        public bool IsFlag => inner.IsFlag;
        public bool IsRequired => inner.IsRequired;
        public string? Description => Escape(inner.Description);
        public DefaultValueAttribute? DefaultValue => inner.DefaultValue;
        public bool IsHidden => inner.IsHidden;
    }

    private sealed class Argument(ICommandArgument inner) : ICommandArgument
    {
        public string Value => inner.Value;
        public int Position => inner.Position;
        public bool IsFlag => inner.IsFlag;
        public bool IsRequired => inner.IsRequired;
        public string? Description => Escape(inner.Description);
        public DefaultValueAttribute? DefaultValue => inner.DefaultValue;
        public bool IsHidden => inner.IsHidden;
    }
}
