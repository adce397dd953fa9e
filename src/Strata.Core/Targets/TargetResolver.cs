namespace Strata.Core.Targets;

using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>
/// Turns what the user typed into a <see cref="ScanTarget"/>: transport prefixes (oci:, docker://, …),
/// explicit kind prefixes (dockerfile:, k8s:, …), the word <c>host</c>, files and directories recognised
/// by name and content, and bare image references.
/// </summary>
public static partial class TargetResolver
{
    private static readonly string[] ImageTransports = ["oci:", "oci-archive:", "docker-archive:", "docker://", "dir:"];

    private static readonly string[] FileLikeExtensions = [".yaml", ".yml", ".json", ".tar", ".tgz", ".gz", ".dockerfile", ".containerfile"];

    /// <summary>Resolves one target. <paramref name="forcedKind"/> overrides detection.</summary>
    public static ScanTarget Resolve(string text, TargetKind? forcedKind = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw StrataException.Usage("An empty scan target was given.");
        }

        if (string.Equals(text, "host", StringComparison.Ordinal))
        {
            return new ScanTarget(TargetKind.Host, "host", "/");
        }

        foreach (var transport in ImageTransports)
        {
            if (text.StartsWith(transport, StringComparison.Ordinal))
            {
                return new ScanTarget(TargetKind.Image, text, text);
            }
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && TargetKindNames.TryParse(text[..colon], out var prefixed))
        {
            var rest = text[(colon + 1)..];
            return prefixed switch
            {
                TargetKind.Host => throw StrataException.Usage($"'{text}': the host target takes no path."),
                TargetKind.Image => new ScanTarget(TargetKind.Image, text, ImageLocator(rest)),
                _ => new ScanTarget(prefixed, text, RequireExisting(rest, prefixed)),
            };
        }

        if (forcedKind is TargetKind forced)
        {
            return forced switch
            {
                TargetKind.Host => new ScanTarget(TargetKind.Host, "host", "/"),
                TargetKind.Image => new ScanTarget(TargetKind.Image, text, ImageLocator(text)),
                _ => new ScanTarget(forced, text, RequireExisting(text, forced)),
            };
        }

        if (Directory.Exists(text))
        {
            return new ScanTarget(DetectDirectory(text, out var locator), text, locator);
        }

        if (File.Exists(text))
        {
            return new ScanTarget(DetectFile(text), text, text);
        }

        if (LooksLikePath(text) || !ImageReferencePattern().IsMatch(text))
        {
            throw StrataException.Usage($"{text}: no such file or directory, and not an image reference.");
        }

        return new ScanTarget(TargetKind.Image, text, "docker://" + text);
    }

    private static string ImageLocator(string text)
    {
        foreach (var transport in ImageTransports)
        {
            if (text.StartsWith(transport, StringComparison.Ordinal))
            {
                return text;
            }
        }

        return "docker://" + text;
    }

    private static string RequireExisting(string path, TargetKind kind)
    {
        var isDirectoryKind = kind == TargetKind.RootFs;
        if (isDirectoryKind ? !Directory.Exists(path) : !File.Exists(path))
        {
            throw StrataException.Usage($"{path}: no such {(isDirectoryKind ? "directory" : "file")} (given as a {kind.ToName()} target).");
        }

        return path;
    }

    private static TargetKind DetectDirectory(string path, out string locator)
    {
        if (File.Exists(Path.Combine(path, "oci-layout")))
        {
            locator = "oci:" + path;
            return TargetKind.Image;
        }

        if (File.Exists(Path.Combine(path, "manifest.json")) && File.Exists(Path.Combine(path, "version")))
        {
            locator = "dir:" + path;
            return TargetKind.Image;
        }

        locator = path;
        return TargetKind.RootFs;
    }

    /// <summary>Recognises a file by its name, then by its content.</summary>
    public static TargetKind DetectFile(string path)
    {
        var name = Path.GetFileName(path);
        if (IsDockerfileName(name))
        {
            return TargetKind.Dockerfile;
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is ".tar")
        {
            throw StrataException.Usage($"{path}: a tar file could be an OCI or a Docker archive; name it oci-archive:{path} or docker-archive:{path}.");
        }

        string head;
        try
        {
            using var stream = FileNodes.OpenRegular(path);
            var buffer = new byte[64 * 1024];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            head = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw StrataException.Usage($"{path}: cannot read: {e.Message}");
        }

        var trimmed = head.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            return DetectJson(path);
        }

        if (extension is ".yaml" or ".yml" || YamlKindPattern().IsMatch(head))
        {
            if (YamlKindPattern().IsMatch(head))
            {
                return TargetKind.KubernetesManifest;
            }
        }

        if (DockerfileInstructionPattern().IsMatch(head))
        {
            return TargetKind.Dockerfile;
        }

        throw StrataException.Usage($"{path}: cannot tell what kind of target this is; name it with a prefix ({string.Join(", ", TargetKindNames.All.Where(k => k != "host").Select(k => k + ":"))}) or --kind.");
    }

    private static TargetKind DetectJson(string path)
    {
        // Only the top-level property names are needed; the scanner parses the file properly.
        try
        {
            var options = new JsonDocumentOptions { MaxDepth = Limits.MaxJsonDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using var document = JsonDocument.Parse(Documents.BoundedFile.ReadAllBytes(path), options);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("ociVersion", out _) || (root.TryGetProperty("process", out _) && root.TryGetProperty("root", out _)))
                {
                    return TargetKind.RuntimeConfig;
                }

                if (root.TryGetProperty("defaultAction", out _) || root.TryGetProperty("syscalls", out _))
                {
                    return TargetKind.SeccompProfile;
                }

                if (root.TryGetProperty("apiVersion", out _) && root.TryGetProperty("kind", out _))
                {
                    return TargetKind.KubernetesManifest;
                }
            }
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{path}:{(e.LineNumber ?? 0) + 1}: malformed JSON: {FirstSentence(e.Message)}");
        }

        throw StrataException.Usage($"{path}: a JSON file that is neither a seccomp profile, an OCI runtime config nor a Kubernetes object; name its kind with a prefix or --kind.");
    }

    internal static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    public static bool IsDockerfileName(string name) =>
        name.Equals("Dockerfile", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Containerfile", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Dockerfile.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Containerfile.", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".dockerfile", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".containerfile", StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikePath(string text) =>
        text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
        || text.StartsWith('~') || FileLikeExtensions.Any(e => text.EndsWith(e, StringComparison.OrdinalIgnoreCase))
        || IsDockerfileName(Path.GetFileName(text));

    // Docker reference grammar, loosely: [host[:port]/]path[:tag][@digest], lowercase path components.
    [GeneratedRegex(@"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[a-z0-9]+:[a-f0-9]{32,})?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageReferencePattern();

    [GeneratedRegex(@"^\s*apiVersion\s*:", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlKindPattern();

    [GeneratedRegex(@"^\s*FROM\s+\S", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DockerfileInstructionPattern();
}
