namespace Dabo.Tests.Docs;

/// <summary>Files of the repository the tests run from.</summary>
internal static class RepositoryFiles
{
    /// <summary>The directory holding <c>Dabo.slnx</c>, above the test binaries.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Dabo.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Dabo.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A path inside the repository.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root(), .. parts]);
}
