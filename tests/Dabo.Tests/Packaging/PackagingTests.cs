using System.Xml.Linq;
using Dabo.Tests.Docs;

namespace Dabo.Tests.Packaging;

/// <summary>
/// What the packages promise: the library leaves libtorch and the report's drawing to the application, and
/// a native library that cannot load ends in one line saying what to install.
/// </summary>
public class PackagingTests
{
    [Fact]
    public void The_library_draws_nothing_and_picks_no_libtorch()
    {
        var references = typeof(TorchRuntime).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("ScottPlot", references);
        Assert.Contains("ScottPlot", typeof(Dabo.Reporting.HtmlReport).Assembly.GetReferencedAssemblies().Select(a => a.Name));

        var library = PackageReferences("src", "Dabo", "Dabo.csproj");
        Assert.Contains("TorchSharp", library);
        Assert.DoesNotContain("TorchSharp-cpu", library);
        Assert.DoesNotContain("ScottPlot", library);
        Assert.Contains("TorchSharp-cpu", PackageReferences("src", "Dabo.Cli", "Dabo.Cli.csproj"));
    }

    [Fact]
    public void The_tool_is_for_linux_x64_only()
    {
        var project = XDocument.Load(RepositoryFiles.Path("src", "Dabo.Cli", "Dabo.Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("dabo", Property("ToolCommandName"));
        Assert.Equal("linux-x64", Property("RuntimeIdentifiers"));
    }

    [Fact]
    public void The_licence_is_at_the_root_and_in_the_package_metadata()
    {
        Assert.StartsWith("MIT License", File.ReadAllText(RepositoryFiles.Path("LICENSE")), StringComparison.Ordinal);
        var props = XDocument.Load(RepositoryFiles.Path("Directory.Build.props"));
        Assert.Equal("MIT", props.Descendants("PackageLicenseExpression").Single().Value);
        Assert.Equal("README.md", props.Descendants("PackageReadmeFile").Single().Value);
    }

    [Fact]
    public void A_missing_cxx_runtime_says_what_to_install_in_one_line()
    {
        const string error = "Unable to load shared library '/opt/dabo/libLibTorchSharp.so' or one of its dependencies. In order to help diagnose "
            + "loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n"
            + "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /opt/dabo/libLibTorchSharp.so)";
        string message = TorchRuntime.LoadFailureMessage(error);
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("TorchSharp's native library needs a newer C++ runtime (/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found", message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -t trixie libstdc++6", message, StringComparison.Ordinal);
        Assert.DoesNotContain("strace", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_load_failure_quotes_the_loader_in_one_line()
    {
        string message = TorchRuntime.LoadFailureMessage("Unable to load shared library 'x' or one of its dependencies. If you're using glibc, consider setting the LD_DEBUG environment variable: \n/opt/libtorch_cpu.so: undefined symbol: FLAGS_caffe2_log_level");
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("TorchSharp's native library failed to load (/opt/libtorch_cpu.so: undefined symbol: FLAGS_caffe2_log_level)", message, StringComparison.Ordinal);
    }

    private static List<string> PackageReferences(params string[] project) =>
        XDocument.Load(RepositoryFiles.Path(project)).Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToList();
}
