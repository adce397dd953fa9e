namespace Strata.Images.Dockerfile.Context;

using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// One pattern of a <c>.dockerignore</c> file (also of <c>COPY --exclude</c> and <c>COPY --parents</c>), with the
/// semantics of BuildKit's matcher (moby/patternmatcher): the pattern is cleaned (<c>./</c>, <c>..</c>, repeated and
/// trailing slashes), <c>!</c> makes it an exception, <c>*</c> is any run of characters but <c>/</c>, <c>?</c> one
/// character but <c>/</c>, <c>**</c> any number of directories (zero included), <c>[a-z]</c>/<c>[^a-z]</c> classes,
/// and <c>\</c> escapes the next character. It matches a whole path relative to the context.
/// </summary>
/// <remarks>
/// BuildKit turns each pattern into a Go regular expression, with literal fast paths; a few of its quirks are kept on
/// purpose because they decide what is sent: a pattern ending in <c>**</c> without a slash before it is a plain prefix
/// (<c>abc**</c> matches <c>abcdef</c>), <c>**/x</c> matches <c>x</c> at any depth and a path that merely ends in
/// <c>/x</c>, a backslash before a letter is a regular-expression escape (<c>\d</c> is a digit), and in a pattern with a
/// wildcard <c>|</c> and <c>{n,m}</c> keep their regular-expression meaning (alternation, repetition).
/// </remarks>
public sealed partial class PathPattern
{
    private enum Kind
    {
        Exact,
        Prefix,
        Suffix,
        Expression,
    }

    private readonly Kind kind;
    private readonly Regex? expression;

    private PathPattern(string text, bool exception)
    {
        Text = text;
        IsException = exception;
        (kind, expression) = Compile(text);
    }

    /// <summary>The cleaned pattern, without its <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>True for an exception (<c>!pattern</c>): a path it matches is sent again.</summary>
    public bool IsException { get; }

    /// <summary>
    /// Reads one pattern as BuildKit's matcher does (the line already trimmed by the ignore file reader): blank is
    /// none, a lone <c>!</c> or a malformed pattern is an error.
    /// </summary>
    /// <exception cref="FormatException">The pattern is malformed; the message says why.</exception>
    public static PathPattern? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        text = GoPath.Clean(text);
        var exception = text[0] == '!';
        if (exception)
        {
            if (text.Length == 1)
            {
                throw new FormatException("'!' alone is not a pattern");
            }

            text = text[1..];
        }

        GoPath.Validate(text);
        return new PathPattern(text, exception);
    }

    /// <summary>The pattern without a trailing <c>/**</c> or <c>/*</c>: the directory it names everything under.</summary>
    public string WithoutTrailingGlob => Text.EndsWith("/**", StringComparison.Ordinal) ? Text[..^3] : Text.EndsWith("/*", StringComparison.Ordinal) ? Text[..^2] : Text;

    /// <summary>True when <paramref name="path"/> (relative, '/'-separated, clean) matches the pattern itself (not through a parent).</summary>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        switch (kind)
        {
            case Kind.Exact:
                return path == Text;
            case Kind.Prefix:
                return path.StartsWith(Text[..^2], StringComparison.Ordinal);
            case Kind.Suffix:
                var suffix = Text[2..];
                return path.EndsWith(suffix, StringComparison.Ordinal) || (suffix.Length > 0 && suffix[0] == '/' && path == suffix[1..]);
            default:
                try
                {
                    return expression!.IsMatch(path);
                }
                catch (RegexMatchTimeoutException)
                {
                    throw new FormatException($"the pattern '{Text}' is too costly to evaluate");
                }
        }
    }

    public override string ToString() => IsException ? "!" + Text : Text;

    /// <summary>The pattern as BuildKit compiles it: a literal fast path, or a regular expression (written in Go's syntax, then translated).</summary>
    private static (Kind, Regex?) Compile(string pattern)
    {
        var go = new StringBuilder("^");
        var kind = Kind.Exact;
        for (var i = 0; i < pattern.Length;)
        {
            var first = i == 0;
            var c = pattern[i++];
            if (c == '*')
            {
                if (i < pattern.Length && pattern[i] == '*')
                {
                    i++;

                    // "**/" is taken as "**".
                    if (i < pattern.Length && pattern[i] == '/')
                    {
                        i++;
                    }

                    if (i == pattern.Length)
                    {
                        if (kind == Kind.Exact)
                        {
                            kind = Kind.Prefix;
                        }
                        else
                        {
                            go.Append(".*");
                            kind = Kind.Expression;
                        }
                    }
                    else
                    {
                        // Any number of directories, none included.
                        go.Append("(.*/)?");
                        kind = Kind.Expression;
                    }

                    if (first)
                    {
                        kind = Kind.Suffix;
                    }
                }
                else
                {
                    go.Append("[^/]*");
                    kind = Kind.Expression;
                }
            }
            else if (c == '?')
            {
                go.Append("[^/]");
                kind = Kind.Expression;
            }
            else if (c is '.' or '+' or '(' or ')' or '$')
            {
                // BuildKit means to escape | { } too, but its lookup table drops every character past '?', so they keep
                // their regular-expression meaning: in "*.js|x", "|" is an alternation.
                go.Append('\\').Append(c);
            }
            else if (c == '\\')
            {
                if (i < pattern.Length)
                {
                    go.Append('\\').Append(pattern[i++]);
                    kind = Kind.Expression;
                }
                else
                {
                    go.Append('\\');
                }
            }
            else if (c is '[' or ']')
            {
                go.Append(c);
                kind = Kind.Expression;
            }
            else
            {
                go.Append(c);
            }
        }

        if (kind != Kind.Expression)
        {
            return (kind, null);
        }

        go.Append('$');
        return (kind, new Regex(GoExpression.ToDotNet(go.ToString()), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }
}
