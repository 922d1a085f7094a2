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
        var wrn = WideResNetName().Match(key);
        if (wrn.Success
            && int.TryParse(wrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int depth)
            && int.TryParse(wrn.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int widen))
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
        var wrn = WideResNetName().Match(key);
        if (wrn.Success
            && int.TryParse(wrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int depth)
            && int.TryParse(wrn.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int widen))
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
        var wrn = WideResNetName().Match(name.Trim());
        if (wrn.Success
            && int.TryParse(wrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int depth)
            && int.TryParse(wrn.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int widen))
        {
            return WideResNet.CountParameters(depth, widen, inputChannels, classCount);
        }
        using var model = Create(name, inputChannels, classCount);
        return model.ParameterCount;
    }

    /// <summary>
    /// Estimated bytes of memory to train the named network on batches of <paramref name="batchSize"/>
    /// images, computed from the architecture without building it; null for the fixed models (at most
    /// 11.2M parameters, which fit any machine that runs Dabo). See <see cref="ModelMemory"/>.
    /// </summary>
    public static double? EstimatedTrainingBytes(string name, int inputChannels, int height, int width, int classCount, int batchSize)
    {
        var wrn = WideResNetName().Match(name.Trim());
        if (!wrn.Success
            || !int.TryParse(wrn.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int depth)
            || !int.TryParse(wrn.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int widen))
        {
            return null;
        }
        double parameters = WideResNet.CountParameters(depth, widen, inputChannels, classCount);
        double activations = WideResNet.ActivationsPerImage(depth, widen, height, width) * batchSize;
        return ModelMemory.TrainingBytes(parameters, activations);
    }

    [GeneratedRegex(@"^wrn-(\d+)-(\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WideResNetName();
}
