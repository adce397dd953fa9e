namespace Strata.Oci.Layers;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>Normalises tar entry names so no entry can name a path outside the image root.</summary>
public static class EntryPaths
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>
    /// A relative path without empty, <c>.</c> or <c>..</c> components; <c>""</c> is the root. A leading <c>/</c> is
    /// dropped (the root is the image root, as Docker and containerd do). A <c>..</c> that would climb above the root is an error.
    /// </summary>
    public static string Normalize(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw StrataException.BadInput($"{what}: entry name contains a NUL byte.");
        }

        // Fast path: already clean (the common case for layers written by buildah/docker).
        if (IsClean(name))
        {
            return name.EndsWith('/') ? name[..^1] : name;
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw StrataException.BadInput($"{what}: entry '{Redaction.Quote(name, 200)}' climbs above the image root ('..').");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    public static string? Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return path.Length == 0 ? null : slash < 0 ? string.Empty : path[..slash];
    }

    public static string Name(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    public static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or below it.</summary>
    public static bool IsWithin(string path, string directory) =>
        directory.Length == 0 || path == directory || (path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal));

    private static bool IsClean(string name)
    {
        if (name.Length == 0 || name[0] == '/' || name.StartsWith("./", StringComparison.Ordinal) || name == ".")
        {
            return false;
        }

        var body = name.EndsWith('/') ? name.AsSpan(0, name.Length - 1) : name.AsSpan();
        if (body.Length == 0 || body.Contains("//", StringComparison.Ordinal) || body.EndsWith("/.") || body.EndsWith("/..") || body.SequenceEqual("..") || body.StartsWith("../"))
        {
            return false;
        }

        return !body.Contains("/./", StringComparison.Ordinal) && !body.Contains("/../", StringComparison.Ordinal);
    }
}
