namespace Dabo.Tests.Docs;

/// <summary>
/// Checks that a document's C# example is the code a test runs: every line of the example (after the test's
/// substitutions) stands in the test's marked body in the same order, and every <c>using</c> directive in its header.
/// </summary>
internal static class DocumentedExample
{
    /// <param name="document">The document's name, for messages.</param>
    /// <param name="example">The example's text (the fenced block's content).</param>
    /// <param name="testFile">The test's source file.</param>
    /// <param name="bodyStart">The comment that opens the test's copy of the example (it ends at <c>// ---- end of the example</c>).</param>
    /// <param name="substitutions">Document text → what the test runs instead.</param>
    /// <returns>The example's non-empty lines.</returns>
    public static IReadOnlyList<string> AssertRunBy(string document, string example, string testFile, string bodyStart, IReadOnlyList<(string Docs, string Test)> substitutions)
    {
        var lines = example.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        string test = File.ReadAllText(testFile);
        string body = test[test.IndexOf(bodyStart, StringComparison.Ordinal)..test.IndexOf("// ---- end of the example", StringComparison.Ordinal)];
        var header = test[..test.IndexOf("namespace", StringComparison.Ordinal)];
        int at = 0;
        foreach (string line in lines)
        {
            if (line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("using var", StringComparison.Ordinal))
            {
                Assert.Contains(line, header, StringComparison.Ordinal);
                continue;
            }
            string expected = substitutions.Aggregate(line, (l, s) => l.Replace(s.Docs, s.Test, StringComparison.Ordinal));
            int found = body.IndexOf(expected, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"{document} line not in the test's example (in order): {line}");
            at = found + expected.Length;
        }
        return lines;
    }
}
