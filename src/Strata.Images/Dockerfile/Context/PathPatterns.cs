namespace Strata.Images.Dockerfile.Context;

/// <summary>
/// An ordered list of <see cref="PathPattern"/>s (a <c>.dockerignore</c>, the <c>--exclude</c> flags of a COPY) matched
/// as BuildKit does: the last pattern that matches wins, an exception (<c>!</c>) sends back what an earlier pattern
/// excluded, and a pattern that matches a directory matches everything under it.
/// </summary>
public sealed class PathPatterns
{
    private static readonly System.Buffers.SearchValues<char> PatternCharacters = System.Buffers.SearchValues.Create("*[]?^\\");

    public PathPatterns(IReadOnlyList<PathPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Patterns = patterns;
        HasExceptions = patterns.Any(p => p.IsException);
        ExceptionsAreLiteral = patterns.Where(p => p.IsException).All(p => p.WithoutTrailingGlob.AsSpan().IndexOfAny(PatternCharacters) < 0);
    }

    /// <summary>No pattern: nothing matches.</summary>
    public static PathPatterns None { get; } = new([]);

    public IReadOnlyList<PathPattern> Patterns { get; }

    /// <summary>True when some pattern is an exception (<c>!…</c>).</summary>
    public bool HasExceptions { get; }

    /// <summary>True when every exception is a plain path (a trailing <c>/*</c> or <c>/**</c> aside): then a matched directory no exception names the inside of is not entered at all.</summary>
    public bool ExceptionsAreLiteral { get; }

    /// <summary>Parses patterns, as <see cref="PathPattern.Parse"/>; blank ones are skipped.</summary>
    /// <exception cref="FormatException">A pattern is malformed.</exception>
    public static PathPatterns Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return new([.. lines.Select(PathPattern.Parse).OfType<PathPattern>()]);
    }

    /// <summary>
    /// True when <paramref name="path"/> is matched, given what the patterns said of its parent directory
    /// (<paramref name="parent"/>, <see cref="MatchState.Unknown"/> for a path seen on its own: then each parent
    /// directory is tried in turn). <paramref name="state"/> is what to hand to this path's children.
    /// </summary>
    public bool Matches(string path, MatchState parent, out MatchState state)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parent);
        var matchedByPattern = new bool[Patterns.Count];
        var matched = false;
        for (var i = 0; i < Patterns.Count; i++)
        {
            var pattern = Patterns[i];
            var match = parent.Known && parent.Matched[i];
            if (!match)
            {
                // An inclusion is not tried once the path is matched, nor an exception before it is.
                if (pattern.IsException != matched)
                {
                    continue;
                }

                match = pattern.Matches(path);
                if (!match && !parent.Known)
                {
                    match = AnyParentMatches(pattern, path);
                }
            }

            matchedByPattern[i] = match;
            if (match)
            {
                matched = !pattern.IsException;
            }
        }

        state = new MatchState(matchedByPattern);
        return matched;
    }

    /// <summary>True when <paramref name="path"/>, or a directory it is in, is matched (the path seen on its own).</summary>
    public bool MatchesOrParentMatches(string path) => Matches(path, MatchState.Unknown, out _);

    /// <summary>
    /// For a matched directory: true when the walk must still enter it, because an exception may send back something
    /// inside (BuildKit skips the directory otherwise, and nothing under it is sent).
    /// </summary>
    public bool MustEnterMatchedDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!HasExceptions)
        {
            return false;
        }

        if (!ExceptionsAreLiteral)
        {
            return true;
        }

        var prefix = directory + "/";
        return Patterns.Any(p => p.IsException && (p.WithoutTrailingGlob + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    private static bool AnyParentMatches(PathPattern pattern, string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (pattern.Matches(path[..slash]))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What each pattern said of a directory, handed to its children so a pattern that matched it matches them too.</summary>
public sealed class MatchState
{
    internal MatchState(bool[]? matched)
    {
        Matched = matched ?? [];
        Known = matched is not null;
    }

    /// <summary>Nothing known of the parent: each parent directory of a path is tried.</summary>
    public static MatchState Unknown { get; } = new(null);

    internal bool Known { get; }

    internal bool[] Matched { get; }
}
