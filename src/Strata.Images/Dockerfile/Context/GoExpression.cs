namespace Strata.Images.Dockerfile.Context;

using System.Globalization;
using System.Text;

/// <summary>
/// Translates the Go (RE2) regular expressions BuildKit builds from ignore patterns into .NET ones with the same
/// meaning: Go's character-class rules (a leading <c>]</c> is literal, <c>[</c> inside a class is literal unless it
/// opens <c>[:alpha:]</c>), ASCII-only <c>\d</c>, <c>\w</c>, <c>\s</c> and <c>\b</c>, <c>$</c> as the very end of the
/// text. Escapes Go accepts but no ignore file needs (<c>\p{…}</c>, <c>\Q…\E</c>, octal) are refused.
/// </summary>
internal static class GoExpression
{
    private const string Word = "0-9A-Za-z_";

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = Word,
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <exception cref="FormatException">The expression is malformed or uses an escape this translation does not carry.</exception>
    public static string ToDotNet(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var net = new StringBuilder();
        for (var i = 0; i < expression.Length;)
        {
            var c = expression[i++];
            switch (c)
            {
                case '\\':
                    net.Append(Escape(expression, ref i, inClass: false));
                    break;
                case '[':
                    net.Append(Class(expression, ref i));
                    break;
                case '$':
                    net.Append("\\z");
                    break;
                case '#' or ' ':
                    net.Append('\\').Append(c);
                    break;
                default:
                    net.Append(c);
                    break;
            }
        }

        return net.ToString();
    }

    /// <summary>A class, from after its <c>[</c> to its <c>]</c>.</summary>
    private static string Class(string expression, ref int i)
    {
        var net = new StringBuilder("[");
        if (i < expression.Length && expression[i] == '^')
        {
            net.Append('^');
            i++;
        }

        var first = true;
        while (true)
        {
            if (i >= expression.Length)
            {
                throw new FormatException("a character class is not closed");
            }

            if (expression[i] == ']' && !first)
            {
                i++;
                return net.Append(']').ToString();
            }

            first = false;
            if (expression[i] == '[' && i + 1 < expression.Length && expression[i + 1] == ':')
            {
                var end = expression.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (end >= 0)
                {
                    var name = expression[(i + 2)..end];
                    net.Append(PosixClasses.TryGetValue(name, out var ranges) ? ranges : throw new FormatException($"unknown character class [:{name}:]"));
                    i = end + 2;
                    continue;
                }
            }

            var lo = ClassItem(expression, ref i, out var isRange);
            if (isRange)
            {
                net.Append(lo);
                continue;
            }

            if (i + 1 < expression.Length && expression[i] == '-' && expression[i + 1] != ']')
            {
                i++;
                var hi = ClassItem(expression, ref i, out var hiIsRange);
                if (hiIsRange || string.CompareOrdinal(Unescaped(hi), Unescaped(lo)) < 0)
                {
                    throw new FormatException("a character class has a bad range");
                }

                net.Append(lo).Append('-').Append(hi);
                continue;
            }

            net.Append(lo);
        }
    }

    /// <summary>One character of a class (escaped for .NET), or a whole escape class such as <c>\d</c> when <paramref name="isRange"/>.</summary>
    private static string ClassItem(string expression, ref int i, out bool isRange)
    {
        var c = expression[i++];
        isRange = false;
        if (c == '\\')
        {
            var escaped = Escape(expression, ref i, inClass: true);
            isRange = escaped.Length > 0 && escaped[0] != '\\';
            return escaped;
        }

        return c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
    }

    private static string Unescaped(string item) => item.Length == 2 && item[0] == '\\' ? item[1..] : item;

    /// <summary>
    /// An escape after its backslash. Inside a class, <c>\d</c>, <c>\s</c>, <c>\w</c> come back as bare ranges (no
    /// leading backslash), so the caller can tell them from a single character.
    /// </summary>
    private static string Escape(string expression, ref int i, bool inClass)
    {
        if (i >= expression.Length)
        {
            throw new FormatException("a pattern ends with a lone backslash");
        }

        var c = expression[i++];
        if (c < 0x80 && !char.IsAsciiLetterOrDigit(c))
        {
            return "\\" + c;
        }

        switch (c)
        {
            case 'a':
                return "\\a";
            case 'f':
                return "\\f";
            case 't':
                return "\\t";
            case 'n':
                return "\\n";
            case 'r':
                return "\\r";
            case 'v':
                return "\\v";
            case 'd':
                return inClass ? "0-9" : "[0-9]";
            case 's':
                return inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
            case 'w':
                return inClass ? Word : "[" + Word + "]";
            case 'D' when !inClass:
                return "[^0-9]";
            case 'S' when !inClass:
                return "[^\\t\\n\\f\\r ]";
            case 'W' when !inClass:
                return "[^" + Word + "]";
            case 'b' when !inClass:
                return $"(?:(?<=[{Word}])(?![{Word}])|(?<![{Word}])(?=[{Word}]))";
            case 'B' when !inClass:
                return $"(?:(?<=[{Word}])(?=[{Word}])|(?<![{Word}])(?![{Word}]))";
            case 'A' when !inClass:
                return "\\A";
            case 'z' when !inClass:
                return "\\z";
            case 'x':
                return Hex(expression, ref i);
            default:
                throw new FormatException($"the escape \\{c} is not supported in ignore patterns");
        }
    }

    private static string Hex(string expression, ref int i)
    {
        string digits;
        if (i < expression.Length && expression[i] == '{')
        {
            var end = expression.IndexOf('}', i);
            if (end < 0)
            {
                throw new FormatException("a \\x{…} escape is not closed");
            }

            digits = expression[(i + 1)..end];
            i = end + 1;
        }
        else
        {
            if (i + 2 > expression.Length)
            {
                throw new FormatException("a \\x escape needs two hex digits");
            }

            digits = expression.Substring(i, 2);
            i += 2;
        }

        if (!int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > 0x10FFFF)
        {
            throw new FormatException("a \\x escape is malformed");
        }

        return code <= 0xFFFF ? "\\u" + code.ToString("X4", CultureInfo.InvariantCulture) : System.Text.RegularExpressions.Regex.Escape(char.ConvertFromUtf32(code));
    }
}
