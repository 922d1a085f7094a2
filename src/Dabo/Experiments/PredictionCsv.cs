using System.Globalization;
using System.Text;
using Dabo.IO;

namespace Dabo.Experiments;

/// <summary>
/// <c>dabo predict</c>'s CSV: a header <c>path,predicted,CLASS…</c>, then one row per image with its path, the predicted
/// class and every class's probability (6 decimals, invariant culture). Fields are quoted as RFC 4180 says when needed.
/// </summary>
public static class PredictionCsv
{
    /// <summary>The CSV text of <paramref name="predictions"/> (classes in <paramref name="classNames"/> order).</summary>
    public static string Format(IReadOnlyList<string> classNames, IEnumerable<ImagePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(predictions);
        var sb = new StringBuilder();
        sb.AppendJoin(',', new[] { "path", "predicted" }.Concat(classNames).Select(Field)).Append('\n');
        foreach (var p in predictions)
        {
            sb.Append(Field(p.Path)).Append(',').Append(Field(p.ClassName));
            foreach (double probability in p.Probabilities)
            {
                sb.Append(',').Append(probability.ToString("F6", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV to <paramref name="file"/> atomically; a failure is one line naming <c>--out</c>.</summary>
    public static void Write(string file, IReadOnlyList<string> classNames, IEnumerable<ImagePrediction> predictions)
    {
        CheckOutput(file);
        string text = Format(classNames, predictions);
        string? created = OutputPaths.FirstMissing(Path.GetDirectoryName(Path.GetFullPath(file))!);
        try
        {
            AtomicFile.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OutputPaths.RemoveCreated(created);
            throw OutputPaths.Error("--out", file, e);
        }
    }

    /// <summary>Refuses an output that cannot be a file (before any work is done).</summary>
    public static void CheckOutput(string file)
    {
        if (string.IsNullOrWhiteSpace(file) || Directory.Exists(file))
        {
            throw new DaboException($"--out {file}: is {(Directory.Exists(file) ? "a directory" : "empty")}; pass a file name, e.g. --out predictions.csv");
        }
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
