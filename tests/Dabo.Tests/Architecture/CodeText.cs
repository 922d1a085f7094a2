using System.Text;

namespace Dabo.Tests.Architecture;

/// <summary>
/// The code of a C# file without its comments and the text of its string and character literals, so
/// that a word found in it is a word of code. The holes of interpolated strings are code and are kept.
/// </summary>
internal static class CodeText
{
    /// <summary>The code of <paramref name="source"/>, with each comment and literal text replaced by a space.</summary>
    public static string Of(string source)
    {
        var code = new StringBuilder(source.Length);
        new Scanner(source, code).Code(0, insideHole: false);
        return code.ToString();
    }

    private sealed class Scanner(string s, StringBuilder code)
    {
        /// <summary>Copies code from <paramref name="i"/>; inside a hole, stops at its closing brace and returns its index.</summary>
        public int Code(int i, bool insideHole)
        {
            int depth = 0;
            while (i < s.Length)
            {
                char c = s[i];
                if (At(i, "//"))
                {
                    int end = s.IndexOf('\n', i);
                    i = end < 0 ? s.Length : end;
                }
                else if (At(i, "/*"))
                {
                    int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? s.Length : end + 2;
                }
                else if (c is '"' or '$' or '@' && StringStart(i) is (int dollars, bool verbatim, int quotes, int length))
                {
                    i = quotes >= 3 ? RawString(i + length, dollars, quotes) : QuotedString(i + length, dollars > 0, verbatim);
                    code.Append(' ');
                }
                else if (c == '\'')
                {
                    i = CharLiteral(i);
                    code.Append(' ');
                }
                else
                {
                    if (insideHole && c == '{')
                    {
                        depth++;
                    }
                    else if (insideHole && c == '}' && depth-- == 0)
                    {
                        return i;
                    }
                    code.Append(c);
                    i++;
                }
            }
            return i;
        }

        private bool At(int i, string text) => string.CompareOrdinal(s, i, text, 0, text.Length) == 0;

        /// <summary>The prefix of a string literal starting at <paramref name="i"/>: <c>$</c> count, <c>@</c>, opening quotes and the prefix length.</summary>
        private (int Dollars, bool Verbatim, int Quotes, int Length)? StringStart(int i)
        {
            if (i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_'))
            {
                return null;
            }
            int j = i, dollars = 0;
            bool verbatim = false;
            while (j < s.Length && (s[j] == '$' || s[j] == '@'))
            {
                dollars += s[j] == '$' ? 1 : 0;
                verbatim |= s[j] == '@';
                j++;
            }
            int quotes = 0;
            while (j + quotes < s.Length && s[j + quotes] == '"')
            {
                quotes++;
            }
            if (quotes == 0)
            {
                return null;
            }
            // "" is an empty string, not the start of a raw one.
            int opening = quotes >= 3 ? quotes : 1;
            return (dollars, verbatim, opening, j + opening - i);
        }

        private int QuotedString(int i, bool interpolated, bool verbatim)
        {
            while (i < s.Length)
            {
                if (verbatim && At(i, "\"\""))
                {
                    i += 2;
                }
                else if (!verbatim && s[i] == '\\')
                {
                    i += 2;
                }
                else if (interpolated && At(i, "{{"))
                {
                    i += 2;
                }
                else if (interpolated && s[i] == '{')
                {
                    code.Append(' ');
                    i = Code(i + 1, insideHole: true) + 1;
                    code.Append(' ');
                }
                else if (s[i] == '"')
                {
                    return i + 1;
                }
                else
                {
                    i++;
                }
            }
            return i;
        }

        private int RawString(int i, int dollars, int quotes)
        {
            string close = new('"', quotes);
            string open = dollars > 0 ? new string('{', dollars) : "";
            while (i < s.Length && !At(i, close))
            {
                if (dollars > 0 && At(i, open))
                {
                    code.Append(' ');
                    i = Code(i + dollars, insideHole: true) + dollars;
                    code.Append(' ');
                }
                else
                {
                    i++;
                }
            }
            return Math.Min(s.Length, i + quotes);
        }

        private int CharLiteral(int i)
        {
            int j = i + 1;
            j += j < s.Length && s[j] == '\\' ? 2 : 1;
            while (j < s.Length && s[j] != '\'')
            {
                j++;
            }
            return j + 1;
        }
    }
}
