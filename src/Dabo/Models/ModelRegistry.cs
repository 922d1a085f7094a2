using System.Globalization;
using System.Text.RegularExpressions;

namespace Dabo.Models;

/// <summary>
/// Resolves a model name (the CLI's <c>--model</c>) to a freshly initialized <see cref="Classifier"/>.
/// Adding a network is adding its file and one line here.
/// </summary>
public static partial class ModelRegistry
{
    private static readonly Dictionary<string, Func<int, int, Classifier>> Fixed = new(StringComparer.OrdinalIgnoreCase)
    {
        [SmallCnn.RegistryName] = (c, k) => new SmallCnn(c, k),
        [ResNet18.RegistryName] = (c, k) => new ResNet18(c, k),
        [ResNet20.RegistryName] = (c, k) => new ResNet20(c, k),
        [Mlp.RegistryName] = (c, k) => new Mlp(c, k),
        [SmallCnnNoBatchNorm.RegistryName] = (c, k) => new SmallCnnNoBatchNorm(c, k),
    };

    /// <summary>Valid names; <c>wrn-D-K</c> stands for the Wide ResNet family (e.g. <c>wrn-28-10</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Fixed.Keys, WideResNet.RegistryPattern];

    /// <summary>Creates the named network with weights initialized from torch's global generator.</summary>
    /// <param name="name">A name from <see cref="Names"/> (case-insensitive), or <c>wrn-D-K</c> with numbers.</param>
    /// <param name="inputChannels">Channels of the input images.</param>
    /// <param name="classCount">Number of output logits.</param>
    /// <returns>The classifier, in training mode.</returns>
    /// <exception cref="DaboException">When the name is unknown or a Wide ResNet's depth is invalid.</exception>
    public static Classifier Create(string name, int inputChannels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        if (Fixed.TryGetValue(key, out var create))
        {
            return create(inputChannels, classCount);
        }
        if (TryParseWideResNet(key, out int depth, out int widen))
        {
            return new WideResNet(depth, widen, inputChannels, classCount);
        }
        throw Unknown(name);
    }

    private static DaboException Unknown(string name) =>
        new($"--model {name}: unknown model; valid: {string.Join(", ", Names)} (wrn-D-K with numbers, e.g. wrn-28-10)");

    /// <summary>Checks a model name (and a Wide ResNet's depth) without building the network.</summary>
    /// <exception cref="DaboException">When the name is unknown or invalid.</exception>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim();
        if (Fixed.ContainsKey(key))
        {
            return;
        }
        if (TryParseWideResNet(key, out int depth, out int widen))
        {
            WideResNet.Check(depth, widen);
            return;
        }
        throw Unknown(name);
    }

    /// <summary>
    /// Parameter count of the named network: in closed form for <c>wrn-D-K</c> (which can be huge); the fixed
    /// models (at most 11.2M parameters) are built and counted.
    /// </summary>
    public static double CountParameters(string name, int inputChannels, int classCount)
    {
        if (TryParseWideResNet(name.Trim(), out int depth, out int widen))
        {
            return WideResNet.CountParameters(depth, widen, inputChannels, classCount);
        }
        using var model = Create(name, inputChannels, classCount);
        return model.ParameterCount;
    }

    /// <summary>Whether <paramref name="name"/> is <c>wrn-D-K</c>, and its depth D and widening factor K.</summary>
    internal static bool TryParseWideResNet(string name, out int depth, out int widen)
    {
        var wrn = WideResNetName().Match(name.Trim());
        depth = widen = 0;
        return wrn.Success
            && int.TryParse(wrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out depth)
            && int.TryParse(wrn.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out widen);
    }

    [GeneratedRegex(@"^wrn-(\d+)-(\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WideResNetName();
}
