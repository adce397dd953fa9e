namespace Strata.Runtime.Recording;

using System.Globalization;
using System.Text;

/// <summary>What one line of strace output holds.</summary>
public enum StraceLineKind
{
    /// <summary>Not a syscall: a signal, an exit, a personality change or other notice.</summary>
    Other,

    /// <summary>A whole syscall: name(args) = result.</summary>
    Complete,

    /// <summary>The entry of a syscall another process interrupted: name(args &lt;unfinished ...&gt;.</summary>
    Unfinished,

    /// <summary>The end of an unfinished syscall: &lt;... name resumed&gt;args) = result.</summary>
    Resumed,
}

/// <summary>
/// One line of <c>strace -f</c> output (with or without the pid column, from <c>-o FILE</c> or stderr's <c>[pid N]</c> form).
/// </summary>
public readonly record struct StraceLine(StraceLineKind Kind, int Pid, string Name, string Arguments, string? Result)
{
    private const string UnfinishedMarker = " <unfinished ...>";

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether the syscall returned without an error (a result that is not -1 and not ?).</summary>
    public bool Succeeded => Result is { Length: > 0 } r && r[0] != '?' && !r.StartsWith("-1", StringComparison.Ordinal);

    /// <summary>Splits one line; <paramref name="line"/> without a syscall gives <see cref="StraceLineKind.Other"/>.</summary>
    public static StraceLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var span = line.AsSpan().TrimStart();
        var pid = 0;
        if (span.StartsWith("[pid", StringComparison.Ordinal))
        {
            var close = span.IndexOf(']');
            if (close < 0 || !int.TryParse(span[4..close].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out pid))
            {
                return default;
            }

            span = span[(close + 1)..].TrimStart();
        }
        else if (span.Length > 0 && char.IsAsciiDigit(span[0]))
        {
            var end = 0;
            while (end < span.Length && char.IsAsciiDigit(span[end]))
            {
                end++;
            }

            if (end == span.Length || span[end] != ' ' || !int.TryParse(span[..end], NumberStyles.None, CultureInfo.InvariantCulture, out pid))
            {
                return default;
            }

            span = span[end..].TrimStart();
        }

        // Optional timestamp columns (-t, -tt, -ttt, -r) come before the name.
        while (span.Length > 0 && char.IsAsciiDigit(span[0]))
        {
            var space = span.IndexOf(' ');
            if (space < 0)
            {
                return default;
            }

            span = span[space..].TrimStart();
        }

        if (span.StartsWith("<... ", StringComparison.Ordinal))
        {
            var resumed = span.IndexOf(" resumed>", StringComparison.Ordinal);
            if (resumed < 0)
            {
                return default;
            }

            var name = span[5..resumed].ToString();
            var rest = span[(resumed + " resumed>".Length)..];
            var (arguments, result) = SplitResult(rest, opened: false);
            return IsName(name) ? new StraceLine(StraceLineKind.Resumed, pid, name, arguments, result) : default;
        }

        var paren = span.IndexOf('(');
        if (paren <= 0 || !IsName(span[..paren]))
        {
            return default;
        }

        var callName = span[..paren].ToString();
        var body = span[(paren + 1)..];
        if (body.EndsWith(UnfinishedMarker, StringComparison.Ordinal))
        {
            return new StraceLine(StraceLineKind.Unfinished, pid, callName, body[..^UnfinishedMarker.Length].ToString(), null);
        }

        var (args, outcome) = SplitResult(body, opened: true);
        return outcome is null ? default : new StraceLine(StraceLineKind.Complete, pid, callName, args, outcome);
    }

    /// <summary>Splits top-level arguments at commas, outside quotes, brackets, braces, parentheses and strace's &lt;path&gt; annotations.</summary>
    public static IReadOnlyList<string> SplitArguments(string arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            var c = arguments[i];
            if (c == '"')
            {
                i = SkipString(arguments, i);
            }
            else if (c == '<' && IsAnnotated(arguments, i))
            {
                i = SkipAnnotation(arguments, i);
            }
            else if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}' && depth > 0)
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                parts.Add(arguments[start..i].Trim());
                start = i + 1;
            }
        }

        var last = arguments[start..].Trim();
        if (last.Length > 0 || parts.Count > 0)
        {
            parts.Add(last);
        }

        return parts;
    }

    /// <summary>
    /// Decodes a strace string argument ("…" with C escapes). Null when it is not a string or was cut short
    /// (strace's "…"... form), since a partial path is not the path.
    /// </summary>
    public static string? DecodeString(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length < 2 || argument[0] != '"')
        {
            return null;
        }

        var end = SkipString(argument, 0);
        if (end >= argument.Length || end != argument.Length - 1)
        {
            return null; // "..."... is truncated; anything after the quote is not a plain string
        }

        var bytes = new List<byte>(argument.Length);
        for (var i = 1; i < end; i++)
        {
            var c = argument[i];
            if (c != '\\')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                continue;
            }

            if (++i >= end)
            {
                return null;
            }

            switch (argument[i])
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 'v': bytes.Add((byte)'\v'); break;
                case 'f': bytes.Add((byte)'\f'); break;
                case 'x' when i + 2 < end + 1 && IsHex(argument, i + 1, 2):
                    bytes.Add(byte.Parse(argument.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    var value = 0;
                    var digits = 0;
                    while (digits < 3 && i < end && argument[i] is >= '0' and <= '7')
                    {
                        value = (value * 8) + (argument[i] - '0');
                        i++;
                        digits++;
                    }

                    i--;
                    bytes.Add((byte)value);
                    break;
                default: bytes.AddRange(Encoding.UTF8.GetBytes(argument[i].ToString())); break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>The path strace's -y option annotates a descriptor with (<c>3&lt;/etc/passwd&gt;</c>, <c>AT_FDCWD&lt;/srv&gt;</c>), or null.</summary>
    public static string? DescriptorPath(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.IndexOf('<', StringComparison.Ordinal);
        if (open <= 0 || !IsAnnotated(text, open) || SkipAnnotation(text, open) != text.Length - 1 || open + 1 >= text.Length - 1 || text[open + 1] != '/')
        {
            return null;
        }

        // strace escapes the annotation as it does strings (\", \\, \76 for '>', octal for other bytes).
        var path = DecodeString("\"" + text[(open + 1)..^1] + "\"");
        return path is null ? null : path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;
    }

    private static (string Arguments, string? Result) SplitResult(ReadOnlySpan<char> rest, bool opened)
    {
        // strace pads the result column: "close(3)                                = 0".
        var equals = rest.LastIndexOf(" = ", StringComparison.Ordinal);
        var close = equals;
        while (close > 0 && rest[close - 1] == ' ')
        {
            close--;
        }

        if (equals < 0 || close <= 0 || rest[close - 1] != ')')
        {
            return opened ? (rest.ToString(), null) : (rest.ToString(), "?");
        }

        return (rest[..(close - 1)].ToString(), rest[(equals + 3)..].ToString());
    }

    /// <summary>Whether the '&lt;' at <paramref name="index"/> opens strace's -y annotation of a descriptor (3&lt;…&gt;, AT_FDCWD&lt;…&gt;).</summary>
    private static bool IsAnnotated(string text, int index) =>
        index > 0 && (char.IsAsciiDigit(text[index - 1]) || text.AsSpan(0, index).EndsWith("AT_FDCWD", StringComparison.Ordinal));

    private static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || name.Length > 64 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the '&gt;' that closes the annotation opened at <paramref name="open"/> (escapes skipped).</summary>
    private static int SkipAnnotation(string text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '>')
            {
                return i;
            }
        }

        return text.Length;
    }

    private static int SkipString(string text, int quote)
    {
        for (var i = quote + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return text.Length;
    }

    private static bool IsHex(string text, int start, int count) =>
        start + count <= text.Length && !text.AsSpan(start, count).ContainsAnyExcept(HexDigits);
}
