namespace Strata.Images.Hardening;

using Strata.Oci.Layers;

/// <summary>A program found in the image, by the name it is run with, and every path it is at.</summary>
public sealed record FoundTool(string Name, IReadOnlyList<ImageFile> Files)
{
    public string Paths => string.Join(", ", Files.Select(f => f.Path));
}

/// <summary>
/// Finds programs by name in the directories a shell would search: the standard bin directories and those of the
/// image's PATH. Files, symlinks and hard links count (busybox applets are links); directories do not.
/// </summary>
public static class Executables
{
    private static readonly string[] StandardDirectories = ["bin", "sbin", "usr/bin", "usr/sbin", "usr/local/bin", "usr/local/sbin"];

    /// <summary>The directories searched: the standard ones, then the config's PATH entries.</summary>
    public static IReadOnlyList<string> SearchDirectories(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var directories = new List<string>(StandardDirectories);
        var path = image.Config?.Env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal));
        if (path is not null)
        {
            foreach (var entry in path["PATH=".Length..].Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = ImageView.KeyOf(entry);
                if (key.Length > 0 && !key.Contains("..", StringComparison.Ordinal) && !directories.Contains(key))
                {
                    directories.Add(key);
                }
            }
        }

        return directories;
    }

    /// <summary>
    /// Every program whose name <paramref name="classify"/> maps to a tool name (e.g. <c>pip3.11</c> → <c>pip</c>),
    /// grouped by tool name.
    /// </summary>
    public static IReadOnlyList<FoundTool> Find(ImageView image, Func<string, string?> classify)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(classify);
        var byTool = new SortedDictionary<string, List<ImageFile>>(StringComparer.Ordinal);
        foreach (var directory in SearchDirectories(image))
        {
            foreach (var file in image.Below(directory))
            {
                if (!file.IsExecutableCandidate || EntryPaths.Parent(file.Key) != directory || classify(file.Name) is not { } tool)
                {
                    continue;
                }

                if (!byTool.TryGetValue(tool, out var files))
                {
                    files = [];
                    byTool[tool] = files;
                }

                // Files are made on request: the same path may come as two equal-looking objects.
                if (!files.Exists(f => f.Key == file.Key))
                {
                    files.Add(file);
                }
            }
        }

        return [.. byTool.Select(p => new FoundTool(p.Key, p.Value))];
    }

    /// <summary>A classifier that maps exact names to themselves.</summary>
    public static Func<string, string?> Named(params string[] names)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return name => set.Contains(name) ? name : null;
    }
}
