namespace Strata.Oci.Layers;

using System.Text;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>Returns the target of the symlink at a resolved path (no symlinks among its parents), or null when it is not a symlink or does not exist.</summary>
public delegate string? SymlinkTargetLookup(ReadOnlySpan<char> resolvedPath);

/// <summary>
/// Resolves a path inside an image root the way a container build sees it (and as umoci unpacks, via
/// securejoin): every symlink met is followed, but <c>..</c> never climbs above the root and absolute targets
/// restart at the root, so no path can leave it. Missing components count as plain directories. At most
/// <see cref="MaxLinks"/> symlinks are followed; more is an error (a loop).
/// </summary>
public static class ScopedPath
{
    /// <summary>Symlinks followed before giving up (Linux stops at 40 per lookup; securejoin at 255).</summary>
    public const int MaxLinks = 255;

    /// <summary>
    /// Resolves every component of a relative path (<c>""</c> is the root; a leading <c>/</c>, <c>.</c> and
    /// <c>..</c> are handled as inside the root), including the last. Returns the same string when the path is
    /// already normalised and no component is a symlink.
    /// </summary>
    public static string Resolve(string path, SymlinkTargetLookup symlinkTarget, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ResolveChanged(path, path.Length, symlinkTarget, what, path) ?? path;
    }

    /// <summary>
    /// Resolves the parents of a path but keeps its last component as is: where an entry lands (a symlink
    /// entry replaces a symlink, it does not write through it). Returns the same string when nothing changes.
    /// </summary>
    public static string ResolveParent(string path, SymlinkTargetLookup symlinkTarget, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        if (slash < 0)
        {
            return path;
        }

        var resolved = ResolveChanged(path, slash, symlinkTarget, what, path);
        return resolved is null ? path : EntryPaths.Join(resolved, path[(slash + 1)..]);
    }

    /// <summary>Resolves the first <paramref name="length"/> characters of <paramref name="path"/>; null when they are normalised and hold no symlink.</summary>
    /// <param name="shown">The path named in errors (the entry's, when resolving its parent).</param>
    private static string? ResolveChanged(string path, int length, SymlinkTargetLookup symlinkTarget, string what, string shown)
    {
        ArgumentNullException.ThrowIfNull(symlinkTarget);

        // Fast path: no prefix is a symlink (nearly every entry), so nothing is allocated.
        var end = 0;
        while (end < length)
        {
            var slash = path.IndexOf('/', end, length - end);
            var stop = slash < 0 ? length : slash;
            var part = path.AsSpan(end, stop - end);
            if (part.Length == 0 || part is "." or ".." || symlinkTarget(path.AsSpan(0, stop)) is not null)
            {
                return ResolveLinks(path[..length], symlinkTarget, what, shown);
            }

            end = stop + 1;
        }

        return null;
    }

    private static string ResolveLinks(string path, SymlinkTargetLookup symlinkTarget, string what, string shown)
    {
        var resolved = new List<string>();
        var current = new StringBuilder();
        var remaining = path;
        var links = 0;
        while (remaining.Length > 0)
        {
            var slash = remaining.IndexOf('/', StringComparison.Ordinal);
            var part = slash < 0 ? remaining : remaining[..slash];
            remaining = slash < 0 ? string.Empty : remaining[(slash + 1)..];
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                // Lexical is right here: what is resolved so far holds no symlinks. At the root, '..' stays at the root.
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            Rebuild(current, resolved, part);
            var target = symlinkTarget(current.ToString());
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }

            if (++links > MaxLinks)
            {
                throw StrataException.BadInput($"{what}: more than {MaxLinks} symlinks followed resolving '{Shorten(shown)}' inside the image (a symlink loop?).");
            }

            if (target.StartsWith('/'))
            {
                resolved.Clear();
            }

            remaining = remaining.Length == 0 ? target : target + "/" + remaining;
        }

        return string.Join('/', resolved);
    }

    private static void Rebuild(StringBuilder current, List<string> resolved, string next)
    {
        current.Clear();
        foreach (var part in resolved)
        {
            current.Append(part).Append('/');
        }

        current.Append(next);
    }

    private static string Shorten(string text) => Redaction.Quote(text, 200);
}
