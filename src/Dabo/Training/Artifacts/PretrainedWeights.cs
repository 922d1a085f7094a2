using System.Globalization;
using System.Text.RegularExpressions;
using Dabo.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Dabo.Training.Artifacts;

/// <summary>
/// <c>--init FILE.safetensors</c>: starts a classifier from saved weights instead of a random initialization. The file
/// holds Dabo's own state dict (<c>dabo export</c>) or torchvision's <c>resnet18</c> one (renamed to Dabo's layers as
/// docs/export.md lists; the 7×7 ImageNet stem cropped to its centre 3×3, summed over colours for grayscale images).
/// Every key must fit; only the head may differ (another class count) and is then re-initialized.
/// </summary>
public static partial class PretrainedWeights
{
    /// <summary>The prefix of the classifier head's tensors in every Dabo model.</summary>
    public const string HeadPrefix = "head.";

    /// <summary>Loads <paramref name="file"/> into <paramref name="model"/> (in place, no gradient).</summary>
    /// <returns>What the user should know about the load (a re-initialized head, an adapted stem), one line each.</returns>
    /// <exception cref="DaboException">A missing or unreadable file, or keys that are missing, unexpected or mis-shaped (one line naming them).</exception>
    public static IReadOnlyList<string> Load(Classifier model, string file)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(file))
        {
            throw new DaboException($"--init {file}: not found; pass a .safetensors file (dabo export, or converted from PyTorch as docs/export.md shows)");
        }
        Dictionary<string, Tensor> loaded;
        try
        {
            loaded = Safetensors.LoadStateDict(file);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotImplementedException or IOException or System.Text.Json.JsonException or EndOfStreamException or System.Runtime.InteropServices.ExternalException)
        {
            throw new DaboException($"--init {file}: not a readable safetensors file ({e.Message.Split('\n')[0]})", e);
        }
        var notes = new List<string>();
        try
        {
            bool torchvision = loaded.ContainsKey("conv1.weight") && loaded.Keys.Any(k => k.StartsWith("layer1.", StringComparison.Ordinal));
            var weights = torchvision ? loaded.ToDictionary(p => FromTorchvision(p.Key), p => p.Value, StringComparer.Ordinal) : loaded;
            var state = model.state_dict();
            if (torchvision)
            {
                AdaptTorchvisionStem(weights, state, file, notes);
            }
            var missing = new List<string>();
            var misshaped = new List<string>();
            foreach (var (key, target) in state)
            {
                if (key.StartsWith(HeadPrefix, StringComparison.Ordinal))
                {
                    continue;
                }
                if (!weights.TryGetValue(key, out var source))
                {
                    missing.Add(key);
                }
                else if (!source.shape.SequenceEqual(target.shape))
                {
                    misshaped.Add($"{key} (file [{string.Join(", ", source.shape)}], {model.Name} [{string.Join(", ", target.shape)}])");
                }
            }
            var unexpected = weights.Keys.Where(k => !state.ContainsKey(k)).ToList();
            if (missing.Count + misshaped.Count + unexpected.Count > 0)
            {
                var parts = new List<string>();
                AddPart(parts, "missing", missing);
                AddPart(parts, "mis-shaped", misshaped);
                AddPart(parts, "unexpected", unexpected);
                throw new DaboException($"--init {file}: does not fit {model.Name} ({model.InputChannels} channel(s)): {string.Join("; ", parts)}; export the weights from a run of the same --model, or rename the keys as docs/export.md shows");
            }
            bool headFits = state.Where(p => p.Key.StartsWith(HeadPrefix, StringComparison.Ordinal))
                .All(p => weights.TryGetValue(p.Key, out var w) && w.shape.SequenceEqual(p.Value.shape));
            using (no_grad())
            {
                foreach (var (key, target) in state)
                {
                    if (!key.StartsWith(HeadPrefix, StringComparison.Ordinal) || headFits)
                    {
                        target.copy_(weights[key].to(target.dtype));
                    }
                }
            }
            if (!headFits)
            {
                string fileClasses = weights.TryGetValue(HeadPrefix + "weight", out var head) && head.dim() == 2 ? head.shape[0].ToString(CultureInfo.InvariantCulture) : "no";
                notes.Add($"--init {file}: the head was re-initialized ({fileClasses} classes in the file, {model.ClassCount} here); every other layer is loaded");
            }
            return notes;
        }
        finally
        {
            foreach (var t in loaded.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>torchvision's <c>resnet18</c> key → Dabo's (<c>conv1</c> → <c>stem.conv</c>, <c>layerS.B.downsample.0</c> → <c>stageS.B.shortcut.conv</c>, <c>fc</c> → <c>head</c>, …).</summary>
    public static string FromTorchvision(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("conv1.", StringComparison.Ordinal))
        {
            return "stem.conv." + key[6..];
        }
        if (key.StartsWith("bn1.", StringComparison.Ordinal))
        {
            return "stem.bn." + key[4..];
        }
        if (key.StartsWith("fc.", StringComparison.Ordinal))
        {
            return HeadPrefix + key[3..];
        }
        var layer = TorchvisionLayer().Match(key);
        return layer.Success
            ? $"stage{layer.Groups[1].Value}.{layer.Groups[2].Value.Replace("downsample.0.", "shortcut.conv.", StringComparison.Ordinal).Replace("downsample.1.", "shortcut.bn.", StringComparison.Ordinal)}"
            : key;
    }

    // ImageNet's stem is a 7×7 stride-2 convolution on RGB; Dabo's CIFAR stem a 3×3 stride-1 one: keep the kernel's centre.
    private static void AdaptTorchvisionStem(Dictionary<string, Tensor> weights, Dictionary<string, Tensor> state, string file, List<string> notes)
    {
        const string Stem = "stem.conv.weight";
        if (!weights.TryGetValue(Stem, out var stem) || !state.TryGetValue(Stem, out var target) || stem.dim() != 4 || stem.shape[0] != target.shape[0])
        {
            return;
        }
        var adapted = stem;
        var said = new List<string>();
        if (adapted.shape[2] == 7 && adapted.shape[3] == 7 && target.shape[2] == 3)
        {
            adapted = adapted.narrow(2, 2, 3).narrow(3, 2, 3);
            said.Add("its 7×7 kernel cropped to the centre 3×3");
        }
        if (adapted.shape[1] == 3 && target.shape[1] == 1)
        {
            adapted = adapted.sum(1, keepdim: true);
            said.Add("summed over the 3 colours for grayscale images");
        }
        if (said.Count > 0)
        {
            weights[Stem] = adapted.contiguous();
            notes.Add($"--init {file}: torchvision's stem ({string.Join(", ", said)}) for Dabo's 3×3 stride-1 stem");
        }
    }

    private static void AddPart(List<string> parts, string what, List<string> keys)
    {
        const int Shown = 4;
        if (keys.Count > 0)
        {
            parts.Add($"{what} {string.Join(", ", keys.Take(Shown))}{(keys.Count > Shown ? $" and {keys.Count - Shown} more" : "")}");
        }
    }

    [GeneratedRegex(@"^layer(\d)\.(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex TorchvisionLayer();
}
