namespace Strata.Images.Dockerfile.Context;

using System.Text;

/// <summary>
/// Slash-separated path handling as the Go builders (BuildKit, buildah) do it on Linux: lexical cleaning
/// (<c>filepath.Clean</c>) and shell-style matching (<c>filepath.Match</c>), which decide what a <c>.dockerignore</c>
/// pattern or a <c>COPY</c> wildcard means. Written from the Go specification of those functions.
/// </summary>
internal static class GoPath
{
    /// <summary>
    /// The shortest lexically equivalent path: repeated slashes folded, <c>.</c> elements dropped, <c>..</c> removing
    /// the element before it (and dropped at the root of an absolute path), a trailing slash removed; empty becomes <c>.</c>.
    /// </summary>
    public static string Clean(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        var leadingUp = 0;
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    leadingUp++;
                }

                continue;
            }

            parts.Add(part);
        }

        var text = new StringBuilder();
        if (rooted)
        {
            text.Append('/');
        }

        for (var i = 0; i < leadingUp; i++)
        {
            text.Append(i == 0 ? ".." : "/..");
        }

        foreach (var part in parts)
        {
            if (text.Length > 0 && text[^1] != '/')
            {
                text.Append('/');
            }

            text.Append(part);
        }

        return text.Length == 0 ? "." : text.ToString();
    }

    /// <summary>Joins <paramref name="relative"/> to the absolute <paramref name="directory"/> unless it is absolute, and cleans the result.</summary>
    public static string Absolute(string directory, string relative)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(relative);
        return Clean(relative.StartsWith('/') ? relative : directory + "/" + relative);
    }

    /// <summary>The last element of a slash-separated path.</summary>
    public static string Base(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>The directory part of a clean slash-separated path: <c>a/b</c> → <c>a</c>, <c>a</c> → empty, <c>/a</c> → <c>/</c>.</summary>
    public static string Parent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : slash == 0 ? "/" : path[..slash];
    }

    /// <summary>True when <paramref name="name"/> holds a wildcard (<c>*</c>, <c>?</c>, <c>[</c>) that is not escaped with a backslash.</summary>
    public static bool HasWildcard(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '\\':
                    i++;
                    break;
                case '*' or '?' or '[':
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Shell-style matching of the whole of <paramref name="name"/>: <c>*</c> any run of characters but <c>/</c>,
    /// <c>?</c> one character but <c>/</c>, <c>[a-z]</c> and <c>[^a-z]</c> classes, <c>\</c> escaping the next
    /// character. A malformed pattern (an unclosed class, a trailing backslash, a bad range) is an error, found even
    /// when the text already failed to match, as Go reports it.
    /// </summary>
    /// <exception cref="FormatException">The pattern is malformed.</exception>
    public static bool Match(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        var rest = pattern;
        var text = name;
        while (rest.Length > 0)
        {
            var (star, chunk, after) = ScanChunk(rest);
            rest = after;
            if (star && chunk.Length == 0)
            {
                // A trailing star takes the rest of the name unless it crosses a separator.
                return !text.Contains('/', StringComparison.Ordinal);
            }

            var matched = MatchChunk(chunk, text, out var remaining);
            if (matched && (remaining.Length == 0 || rest.Length > 0))
            {
                text = remaining;
                continue;
            }

            if (star)
            {
                var found = false;
                for (var i = 0; i < text.Length && text[i] != '/'; i++)
                {
                    if (MatchChunk(chunk, text[(i + 1)..], out remaining))
                    {
                        if (rest.Length == 0 && remaining.Length > 0)
                        {
                            continue;
                        }

                        text = remaining;
                        found = true;
                        break;
                    }
                }

                if (found)
                {
                    continue;
                }
            }

            // No match: the rest of the pattern must still be well formed.
            while (rest.Length > 0)
            {
                (_, chunk, rest) = ScanChunk(rest);
                MatchChunk(chunk, string.Empty, out _);
            }

            return false;
        }

        return text.Length == 0;
    }

    /// <summary>Throws when <paramref name="pattern"/> is malformed for <see cref="Match"/>.</summary>
    public static void Validate(string pattern) => Match(pattern, ".");

    private static (bool Star, string Chunk, string Remainder) ScanChunk(string pattern)
    {
        var star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }

        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        return (star, pattern[..i], pattern[i..]);
    }

    /// <summary>Matches one chunk (no star) at the start of <paramref name="text"/>; keeps checking the chunk's syntax after a mismatch.</summary>
    private static bool MatchChunk(string chunk, string text, out string remaining)
    {
        var failed = false;
        while (chunk.Length > 0)
        {
            if (!failed && text.Length == 0)
            {
                failed = true;
            }

            switch (chunk[0])
            {
                case '[':
                {
                    var c = '\0';
                    if (!failed)
                    {
                        c = text[0];
                        text = text[1..];
                    }

                    chunk = chunk[1..];
                    var negated = chunk.Length > 0 && chunk[0] == '^';
                    if (negated)
                    {
                        chunk = chunk[1..];
                    }

                    var match = false;
                    var ranges = 0;
                    while (true)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }

                        var lo = ClassCharacter(ref chunk);
                        var hi = lo;
                        if (chunk[0] == '-')
                        {
                            chunk = chunk[1..];
                            hi = ClassCharacter(ref chunk);
                        }

                        if (lo <= c && c <= hi)
                        {
                            match = true;
                        }

                        ranges++;
                    }

                    if (match == negated)
                    {
                        failed = true;
                    }

                    break;
                }

                case '?':
                    if (!failed)
                    {
                        if (text[0] == '/')
                        {
                            failed = true;
                        }

                        text = text[1..];
                    }

                    chunk = chunk[1..];
                    break;
                default:
                    if (chunk[0] == '\\')
                    {
                        chunk = chunk[1..];
                        if (chunk.Length == 0)
                        {
                            throw new FormatException("a pattern ends with a lone backslash");
                        }
                    }

                    if (!failed)
                    {
                        if (chunk[0] != text[0])
                        {
                            failed = true;
                        }

                        text = text[1..];
                    }

                    chunk = chunk[1..];
                    break;
            }
        }

        remaining = failed ? string.Empty : text;
        return !failed;
    }

    /// <summary>One character of a class, possibly escaped; a class must go on after it.</summary>
    private static char ClassCharacter(ref string chunk)
    {
        if (chunk.Length == 0 || chunk[0] == '-' || chunk[0] == ']')
        {
            throw new FormatException("a character class is empty, unclosed or has a bad range");
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.Length == 0)
            {
                throw new FormatException("a character class ends with a lone backslash");
            }
        }

        var c = chunk[0];
        chunk = chunk[1..];
        if (chunk.Length == 0)
        {
            throw new FormatException("a character class is not closed");
        }

        return c;
    }
}
