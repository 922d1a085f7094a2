using Dabo.IO;

namespace Dabo.Experiments.Reporting;

/// <summary>Writes the report's images into its image folder and remembers them, so that images of an earlier report that this one no longer uses can be removed.</summary>
internal sealed class ImageWriter(string folder)
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="png"/> atomically as <paramref name="file"/>; returns its path relative to the page.</summary>
    public string Write(string file, byte[] png)
    {
        AtomicFile.Write(Path.Combine(folder, file), s => s.Write(png));
        _written.Add(file);
        return $"{HtmlReport.ImageFolder}/{file}";
    }

    /// <summary>Deletes PNGs of the report's own naming that this report did not write.</summary>
    public void RemoveStale()
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        string[] own = ["test-accuracy.png", "val-accuracy.png", "train-loss.png"];
        foreach (string path in Directory.EnumerateFiles(folder, "*.png"))
        {
            string name = Path.GetFileName(path);
            bool ours = own.Contains(name) || name.StartsWith("params-", StringComparison.Ordinal) || name.StartsWith("augment-", StringComparison.Ordinal)
                || name.StartsWith("policy-", StringComparison.Ordinal);
            if (ours && !_written.Contains(name))
            {
                File.Delete(path);
            }
        }
    }
}
