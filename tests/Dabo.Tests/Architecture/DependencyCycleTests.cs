using Dabo.Tests.Docs;

namespace Dabo.Tests.Architecture;

/// <summary>No two source files under src/ depend on each other, directly or through others.</summary>
public class DependencyCycleTests
{
    /// <summary>
    /// Cycles allowed for now: none. (The run-spec redesign, issue 21, removed the last ones.) A cycle passes if it lies
    /// within one of these sets; shrink or drop a set once its cycle is gone (the stale-entry test says when).
    /// </summary>
    private static readonly string[][] BeingRemovedByTheRunSpecRedesign = [];

    [Fact]
    public void Source_files_have_no_dependency_cycles_beyond_the_allowed_ones()
    {
        var graph = SourceDependencyGraph.Of(RepositoryFiles.Path("src"));
        var unexpected = graph.Cycles().Where(cycle => !BeingRemovedByTheRunSpecRedesign.Any(allowed => cycle.All(allowed.Contains))).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} dependency cycle(s) under src/:\n" + string.Join('\n', unexpected.Select(c => Describe(graph, c))));
    }

    [Fact]
    public void Every_allowed_cycle_still_exists()
    {
        var cycles = SourceDependencyGraph.Of(RepositoryFiles.Path("src")).Cycles();
        var stale = BeingRemovedByTheRunSpecRedesign.Where(allowed => !cycles.Any(cycle => cycle.All(allowed.Contains))).ToList();
        Assert.True(stale.Count == 0, "no longer a cycle, remove from the allow-list: " + string.Join("; ", stale.Select(s => string.Join(", ", s))));
    }

    [Fact]
    public void A_cycle_through_a_type_name_is_found_and_comments_strings_and_crefs_are_not_uses()
    {
        using var dir = new TempDirectory();
        Write(dir, "A.cs", "namespace N;\n/// <summary>Not <see cref=\"D\"/>.</summary>\ninternal sealed class A { B? b; string s = $\"{nameof(C)} D\"; }\n");
        Write(dir, "B.cs", "namespace N;\ninternal sealed record B(A Parent);\n");
        Write(dir, "C.cs", "namespace N;\n// A\ninternal enum C { X }\n");
        Write(dir, "D.cs", "namespace N;\ninternal static class D { const string Text = \"A\"; static char c = 'A'; static string raw = \"\"\"\n A \n\"\"\"; }\n");
        var graph = SourceDependencyGraph.Of(dir.Path);

        Assert.Equal([["A.cs", "B.cs"]], graph.Cycles());
        Assert.Equal(["B.cs", "C.cs"], graph.Uses("A.cs"));
        Assert.Empty(graph.Uses("C.cs"));
        Assert.Empty(graph.Uses("D.cs"));
    }

    private static string Describe(SourceDependencyGraph graph, IReadOnlyList<string> cycle) =>
        "  " + string.Join("; ", cycle.Select(f => $"{f} -> {string.Join(", ", graph.Uses(f).Where(cycle.Contains))}"));

    private static void Write(TempDirectory dir, string name, string text) => File.WriteAllText(dir.Combine(name), text);
}
