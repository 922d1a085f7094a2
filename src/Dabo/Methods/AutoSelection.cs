using System.Text.Json;
using Dabo.IO;
using Dabo.Training;
using Dabo.Training.Runs;

namespace Dabo.Methods;

/// <summary>What <c>auto</c> chose and why, kept as <c>selection.json</c> in its run directory (written once, atomically).</summary>
/// <param name="Chosen">The chosen method, e.g. <c>randaugment:1:5</c>.</param>
/// <param name="ProxyFraction">Share of the run's epochs each proxy trained.</param>
/// <param name="Tolerance">Relative validation-loss margin within which the stronger candidate won.</param>
/// <param name="Proxies">Each candidate's proxy, weakest first.</param>
public sealed record AutoSelection(string Chosen, double ProxyFraction, double Tolerance, IReadOnlyList<AutoSelection.Proxy> Proxies)
{
    /// <summary>The file's name in the run directory.</summary>
    public const string FileName = "selection.json";

    /// <summary>One proxy run's outcome.</summary>
    /// <param name="Method">The candidate.</param>
    /// <param name="ValLoss">Its validation loss at the last epoch.</param>
    /// <param name="ValAccuracy">Its validation accuracy at the last epoch.</param>
    public sealed record Proxy(string Method, double ValLoss, double ValAccuracy);

    /// <summary>
    /// One line on the choice and its grounds, e.g. <c>auto chose randaugment:1:5 (proxies' final validation loss:
    /// none 0.612, randaugment:1:5 0.640, randaugment:2:10 0.702; the strongest within 10 % of the best)</c>.
    /// </summary>
    /// <param name="method">The method's name as the user wrote it (<c>auto</c> or <c>auto-shuffled</c>).</param>
    /// <param name="control">Whether the method is the control, which draws its choice at random.</param>
    public string Describe(string method, bool control)
    {
        string losses = string.Join(", ", Proxies.Select(p => FormattableString.Invariant($"{p.Method} {p.ValLoss:0.000}")));
        string rule = control
            ? "the control: drawn at random"
            : FormattableString.Invariant($"the strongest within {Tolerance * 100:0.##} % of the best");
        return $"{method} chose {Chosen} (proxies' final validation loss: {losses}; {rule})";
    }

    /// <summary>Writes <paramref name="selection"/> into <paramref name="run"/>.</summary>
    public static void Write(RunDirectory run, AutoSelection selection)
    {
        ArgumentNullException.ThrowIfNull(run);
        AtomicFile.WriteAllText(run.File(FileName), JsonSerializer.Serialize(selection, TrainingConfig.JsonOptions));
    }

    /// <summary>The selection of <paramref name="run"/>, or null when it has none yet.</summary>
    /// <exception cref="DaboException">A damaged file.</exception>
    public static AutoSelection? TryRead(RunDirectory run)
    {
        ArgumentNullException.ThrowIfNull(run);
        string file = run.File(FileName);
        if (!File.Exists(file))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<AutoSelection>(File.ReadAllText(file), TrainingConfig.JsonOptions)
                ?? throw new DaboException($"{file}: empty; delete it and resume the run to choose again");
        }
        catch (JsonException e)
        {
            throw new DaboException($"{file}: damaged ({e.Message.Split('\n')[0]}); delete it and resume the run to choose again", e);
        }
    }
}
