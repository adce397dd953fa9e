namespace Strata.Images.Dockerfile.Context;

using Strata.Core;
using Strata.Core.Documents;

/// <summary>
/// The ignore file of a build and its patterns, read as BuildKit reads them: <c>&lt;Dockerfile name&gt;.dockerignore</c>
/// beside the Dockerfile when there is one (<c>Dockerfile.dockerignore</c>, <c>app.Dockerfile.dockerignore</c>), else
/// <c>.dockerignore</c> at the root of the context.
/// </summary>
/// <param name="Path">The file read, or null when the build has none.</param>
/// <param name="Patterns">Its patterns; none without a file.</param>
public sealed record DockerignoreFile(string? Path, PathPatterns Patterns)
{
    /// <summary>The name BuildKit reads at the root of the context.</summary>
    public const string DefaultName = ".dockerignore";

    /// <summary>The longest line BuildKit's reader takes (Go's default scanner buffer); a longer one fails the build.</summary>
    private const int MaxLineLength = 64 * 1024;

    /// <summary>Largest ignore file read (a real one is a few hundred bytes).</summary>
    private const long MaxBytes = 4L << 20;

    /// <summary>No ignore file: everything in the context is sent.</summary>
    public static DockerignoreFile None { get; } = new(null, PathPatterns.None);

    /// <summary>
    /// Finds and reads the ignore file that applies to a build of <paramref name="dockerfile"/> (null when it comes from
    /// standard input) with the context <paramref name="contextDirectory"/>.
    /// </summary>
    /// <exception cref="StrataException">The file cannot be read or holds a malformed pattern (the build would fail too).</exception>
    /// <exception cref="IOException">The directory cannot be examined.</exception>
    public static DockerignoreFile Find(string contextDirectory, string? dockerfile)
    {
        ArgumentNullException.ThrowIfNull(contextDirectory);
        if (dockerfile is not null && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(dockerfile)) is { } directory)
        {
            // BuildKit receives an empty file as no content at all, and then reads the context's .dockerignore.
            var beside = Inside(directory, System.IO.Path.GetFileName(dockerfile) + ".dockerignore");
            if (beside is not null && new FileInfo(beside).Length > 0)
            {
                return Load(beside);
            }
        }

        return Inside(contextDirectory, DefaultName) is { } standard ? Load(standard) : None;
    }

    /// <summary>
    /// The regular file <paramref name="name"/> of <paramref name="directory"/>, a symbolic link followed as the builder
    /// follows it: inside that directory (an absolute target starts there, <c>..</c> stops there). Null when there is none.
    /// </summary>
    private static string? Inside(string directory, string name)
    {
        var relative = name;
        for (var hops = 0; hops < 40; hops++)
        {
            var path = System.IO.Path.Combine(directory, relative);
            var node = FileNodes.Stat(path, followLinks: false);
            if (node is not { } found)
            {
                return null;
            }

            if (found.Type == FileNodeType.Regular)
            {
                return path;
            }

            if (found.Type != FileNodeType.Symlink || new FileInfo(path).LinkTarget is not { } target)
            {
                return null;
            }

            var parent = GoPath.Parent(relative.Replace('\\', '/'));
            relative = GoPath.Clean("/" + (target.StartsWith('/') ? target : parent + "/" + target)).TrimStart('/');
            if (relative.Length == 0)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Reads one ignore file.</summary>
    /// <exception cref="StrataException">It cannot be read or holds a malformed pattern.</exception>
    public static DockerignoreFile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = BoundedFile.ReadAllText(path, MaxBytes, "an ignore file");
        try
        {
            return new DockerignoreFile(path, PathPatterns.Parse(ReadPatterns(text)));
        }
        catch (FormatException e)
        {
            throw StrataException.BadInput($"{path}: {e.Message}; BuildKit refuses this file too.");
        }
    }

    /// <summary>
    /// The patterns of an ignore file's text, one per line: a line starting with <c>#</c> (in the first column) is a
    /// comment, leading and trailing white space is removed, blank lines are skipped, each pattern is cleaned
    /// (<c>./a</c>, <c>a/../b</c>, <c>a//b/</c>) and one leading <c>/</c> is removed (<c>/a</c> is <c>a</c>), after a
    /// leading <c>!</c> when there is one.
    /// </summary>
    /// <exception cref="FormatException">A line is longer than BuildKit reads.</exception>
    public static IReadOnlyList<string> ReadPatterns(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var patterns = new List<string>();
        var first = true;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (first)
            {
                line = line.TrimStart('\uFEFF');
                first = false;
            }

            if (line.Length > MaxLineLength)
            {
                throw new FormatException($"a line is longer than {MaxLineLength} bytes");
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var pattern = line.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            var exception = pattern[0] == '!';
            if (exception)
            {
                pattern = pattern[1..].Trim();
            }

            if (pattern.Length > 0)
            {
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                {
                    pattern = pattern[1..];
                }
            }

            patterns.Add(exception ? "!" + pattern : pattern);
        }

        return patterns;
    }
}
