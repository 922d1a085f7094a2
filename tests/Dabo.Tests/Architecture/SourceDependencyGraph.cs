using System.Text.RegularExpressions;

namespace Dabo.Tests.Architecture;

/// <summary>
/// Which source file uses which, read from the text: file A depends on file B when A's code (without
/// comments and literals, see <see cref="CodeText"/>) names, as a whole word, a top-level type declared
/// in B. XML doc <c>cref</c>s do not count: they are comments, a pointer for the reader, and a
/// documentation link is no reason to keep two files together. Same-named types in two files make both
/// targets (a safe over-estimate).
/// </summary>
internal sealed partial class SourceDependencyGraph
{
    // Top-level types start at column 0 under a file-scoped namespace (which the namespace test keeps).
    [GeneratedRegex(@"^(?:[\w]+[ \t]+)*(?:record[ \t]+(?:struct|class)|class|record|struct|interface|enum)[ \t]+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    private readonly Dictionary<string, SortedSet<string>> _uses;

    private SourceDependencyGraph(Dictionary<string, SortedSet<string>> uses) => _uses = uses;

    /// <summary>The graph of every <c>.cs</c> file under <paramref name="root"/>, named by their paths relative to it.</summary>
    public static SourceDependencyGraph Of(string root)
    {
        var code = SourceFiles.Under(root).ToDictionary(f => SourceFiles.Relative(root, f), f => CodeText.Of(File.ReadAllText(f)));
        var declaredIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (file, text) in code)
        {
            foreach (Match m in TopLevelType().Matches(text))
            {
                if (!declaredIn.TryGetValue(m.Groups[1].Value, out var files))
                {
                    declaredIn[m.Groups[1].Value] = files = [];
                }
                files.Add(file);
            }
        }
        var uses = code.Keys.ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var (type, files) in declaredIn)
        {
            var word = new Regex(@"\b" + type + @"\b", RegexOptions.CultureInvariant);
            foreach (var (file, text) in code)
            {
                if (!files.Contains(file) && word.IsMatch(text))
                {
                    uses[file].UnionWith(files);
                }
            }
        }
        return new SourceDependencyGraph(uses);
    }

    /// <summary>The files <paramref name="file"/> depends on.</summary>
    public IReadOnlySet<string> Uses(string file) => _uses[file];

    /// <summary>The strongly connected components of more than one file (Tarjan), each sorted, in order of their first file.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();
        foreach (string start in _uses.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(start))
            {
                Visit(start);
            }
        }
        return [.. cycles.OrderBy(c => c[0], StringComparer.Ordinal)];

        void Visit(string file)
        {
            index[file] = low[file] = index.Count;
            stack.Push(file);
            onStack.Add(file);
            foreach (string next in _uses[file])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[file] = Math.Min(low[file], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[file] = Math.Min(low[file], index[next]);
                }
            }
            if (low[file] == index[file])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != file);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }
    }
}
