namespace Dabo.Reporting;

/// <summary>
/// Embeds the report's images in the page as base64 <c>data:</c> URIs, so that <c>report.html</c> is one
/// self-contained file; and removes the image folder that reports of earlier versions wrote beside the page.
/// </summary>
internal sealed class ImageWriter(string outputDirectory)
{
    /// <summary>Folder beside the page where earlier versions wrote the images.</summary>
    public const string LegacyFolder = "report";

    private readonly List<string> _names = [];

    /// <summary>Names of the images embedded so far, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The <c>src</c> and <c>data-image</c> attributes of an <c>&lt;img&gt;</c> showing <paramref name="png"/>, named <paramref name="name"/>.</summary>
    public string Attributes(string name, byte[] png)
    {
        _names.Add(name);
        return $"src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" data-image=\"{ReportFormat.Html(name)}\"";
    }

    /// <summary>
    /// Deletes the PNGs of the report's own naming in the <c>report/</c> folder that earlier versions wrote
    /// (the page no longer uses them), and the folder when nothing else is left in it.
    /// </summary>
    public void RemoveLegacyFolder()
    {
        string folder = Path.Combine(outputDirectory, LegacyFolder);
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
            if (ours)
            {
                File.Delete(path);
            }
        }
        if (!Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }
    }
}
