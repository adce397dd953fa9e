namespace Strata.Testing.Images;

using System.Security.Cryptography;
using System.Text;

/// <summary>A directory tree as comparable text: one line per path with type, mode, size, link target and content SHA-256.</summary>
public static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(root, string.Empty, result);
        return result;
    }

    /// <summary>A readable diff, empty when the trees are equal.</summary>
    public static string Diff(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var diff = new StringBuilder();
        foreach (var (path, line) in expected)
        {
            if (!actual.TryGetValue(path, out var other))
            {
                diff.Append("missing: ").Append(path).Append(' ').AppendLine(line);
            }
            else if (other != line)
            {
                diff.Append("differs: ").Append(path).Append(" expected ").Append(line).Append(" actual ").AppendLine(other);
            }
        }

        foreach (var (path, line) in actual)
        {
            if (!expected.ContainsKey(path))
            {
                diff.Append("extra: ").Append(path).Append(' ').AppendLine(line);
            }
        }

        return diff.ToString();
    }

    private static void Walk(string root, string relative, SortedDictionary<string, string> result)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tree snapshots compare Unix modes.");
        }

        foreach (var info in new DirectoryInfo(Path.Combine(root, relative)).EnumerateFileSystemInfos())
        {
            var path = relative.Length == 0 ? info.Name : relative + "/" + info.Name;
            if (info.LinkTarget is { } target)
            {
                result[path] = $"symlink -> {target}";
                continue;
            }

            // After the symlink check: the mode of a symlink would be its target's, and a dangling one has none.
            var mode = Convert.ToString((int)File.GetUnixFileMode(info.FullName) & 0xFFF, 8).PadLeft(4, '0');
            if (info is DirectoryInfo)
            {
                result[path] = $"dir {mode}";
                Walk(root, path, result);
            }
            else
            {
                var file = (FileInfo)info;
                result[path] = $"file {mode} {file.Length} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.FullName)))}";
            }
        }
    }
}
