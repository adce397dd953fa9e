namespace Strata.Core;

/// <summary>Paths folded as text, never touching the file system (what a path means inside an image, a trace or a policy scope).</summary>
public static class LexicalPath
{
    /// <summary>
    /// The path's segments with <c>.</c>, empty segments (repeated slashes) and <c>..</c> folded, joined by <c>/</c>,
    /// with no leading or trailing slash; <c>..</c> never climbs above the start (as Go's <c>filepath.Clean</c> at the root).
    /// </summary>
    public static string Fold(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
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

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
