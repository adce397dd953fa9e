namespace Strata.Signing.Policy;

using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Oci;
using Strata.Oci.Transports;

/// <summary>
/// How a policy sees an image: its transport, its policy identity (the most specific scope) and namespaces (the less
/// specific scopes, most specific first), and its Docker reference identity for signedIdentity matching; each as
/// containers/image's transport computes them (PolicyConfigurationIdentity / PolicyConfigurationNamespaces).
/// </summary>
public sealed partial record PolicyImageName(string Transport, string Identity, IReadOnlyList<string> Namespaces, ImageReference? DockerReference, string Text)
{
    /// <summary>The transports whose scopes containers/image validates (others are accepted as written).</summary>
    public static IReadOnlyList<string> ValidatedTransports { get; } = ["docker", "atomic", "docker-daemon", "dir", "oci", "oci-archive", "docker-archive"];

    public override string ToString() => Text;

    /// <summary>
    /// Parses <c>transport:reference</c> (<c>docker://busybox</c>, <c>dir:/images/app</c>, <c>oci:/layouts/app:1.0</c>,
    /// <c>oci-archive:</c>, <c>docker-archive:</c>, <c>docker-daemon:</c>, <c>atomic:</c>), a bare registry reference, or an
    /// existing local path recognised as one of Strata's transports.
    /// </summary>
    public static PolicyImageName Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var transport = colon > 0 ? reference[..colon] : string.Empty;
        var rest = colon > 0 ? reference[(colon + 1)..] : string.Empty;
        switch (transport)
        {
            case "docker":
                if (!rest.StartsWith("//", StringComparison.Ordinal))
                {
                    throw StrataException.Usage($"docker: image reference '{reference}' does not start with '//'.");
                }

                return Registry("docker", rest[2..], reference);
            case "atomic":
                return Registry("atomic", rest, reference);
            case "docker-daemon":
                return Daemon(rest, reference);
            case "dir":
                return PathBased("dir", ResolvePath(rest, reference), includeSelf: false, reference);
            case "oci":
            case "oci-archive":
                {
                    // oci:DIR[:TAG] as containers/image writes it; Strata also reads oci:DIR@DIGEST.
                    var at = rest.LastIndexOf('@');
                    var path = at > rest.LastIndexOf('/') && transport == "oci" ? rest[..at] : rest.Split(':', 2)[0];
                    return PathBased(transport, ResolvePath(path, reference), includeSelf: true, reference);
                }

            case "docker-archive":
                {
                    var parts = rest.Split(':', 2);
                    ImageReference? named = null;
                    if (parts.Length == 2 && parts[1].Length > 0)
                    {
                        named = ImageReference.Parse(parts[1]);
                    }

                    return new PolicyImageName("docker-archive", string.Empty, [], named, reference);
                }
        }

        if (ImageTransports.Recognise(reference) is { } local && local != ImageTransports.Docker)
        {
            return Parse(local.Prefix + reference);
        }

        return Registry("docker", reference, "docker://" + reference);
    }

    /// <summary>Why <paramref name="scope"/> is not a valid scope of <paramref name="transport"/> (containers/image's rules), or null.</summary>
    public static string? ScopeError(string transport, string scope)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Length == 0)
        {
            return null;
        }

        switch (transport)
        {
            case "atomic":
                return AtomicScopePattern().IsMatch(scope) ? null : $"invalid scope name {scope}";
            case "docker-daemon":
                return Digest.TryParse(scope, out _) ? $"docker-daemon: can not use algo:digest value {scope} as a namespace" : null;
            case "dir":
            case "oci":
            case "oci-archive":
                if (!scope.StartsWith('/'))
                {
                    return $"invalid scope {scope}: must be an absolute path";
                }

                if (scope == "/")
                {
                    return "invalid scope \"/\": use the generic default scope \"\"";
                }

                var cleaned = CleanPath(scope);
                return cleaned == scope ? null : $"invalid scope {scope}: uses non-canonical format, perhaps try {cleaned}";
            case "docker-archive":
                return "docker-archive: does not support any scopes except the default \"\" one";
            default:
                return null;
        }
    }

    /// <summary>
    /// distribution's naming of namespaces: the repository, each parent path, the host[:port], then wildcard
    /// parent domains <c>*.example.com</c>, <c>*.com</c>.
    /// </summary>
    internal static IReadOnlyList<string> DockerNamespaces(string name)
    {
        var result = new List<string>();
        while (true)
        {
            result.Add(name);
            var lastSlash = name.LastIndexOf('/');
            if (lastSlash < 0)
            {
                break;
            }

            name = name[..lastSlash];
        }

        var port = name.IndexOf(':', StringComparison.Ordinal);
        if (port >= 0)
        {
            name = name[..port];
        }

        while (name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0)
        {
            name = name[(dot + 1)..];
            result.Add("*." + name);
        }

        return result;
    }

    /// <summary>Go's filepath.Clean for absolute Unix paths.</summary>
    internal static string CleanPath(string path) => "/" + LexicalPath.Fold(path);

    private static PolicyImageName Registry(string transport, string text, string reference)
    {
        var parsed = ImageReference.Parse(text);
        if (parsed.Tag is not null && parsed.Digest is not null)
        {
            throw StrataException.Usage($"{transport}: references with both a tag and digest are not supported: '{text}'.");
        }

        if (parsed.Tag is null && parsed.Digest is null)
        {
            parsed = ImageReference.Parse($"{parsed.Name}:{ImageReference.DefaultTag}");
        }

        var identity = parsed.Digest is { } digest ? $"{parsed.Name}@{digest}" : $"{parsed.Name}:{parsed.Tag}";
        return new PolicyImageName(transport, identity, DockerNamespaces(parsed.Name), parsed, reference);
    }

    private static PolicyImageName Daemon(string text, string reference)
    {
        // An image ID names no repository: only the transport's "" scope and the default apply.
        if (Digest.TryParse(text, out _))
        {
            return new PolicyImageName("docker-daemon", string.Empty, [], null, reference);
        }

        var name = Registry("docker-daemon", text, reference);
        return name;
    }

    private static PolicyImageName PathBased(string transport, string resolved, bool includeSelf, string reference)
    {
        var namespaces = new List<string>();
        var path = resolved;
        if (includeSelf && path != "/")
        {
            namespaces.Add(path);
        }

        while (path.LastIndexOf('/') is var lastSlash and > 0)
        {
            path = path[..lastSlash];
            namespaces.Add(path);
        }

        return new PolicyImageName(transport, resolved, namespaces, null, reference);
    }

    // containers/image's ResolvePathToFullyExplicit: absolute, symbolic links resolved; a missing last component is kept.
    private static string ResolvePath(string path, string reference)
    {
        if (path.Length == 0)
        {
            throw StrataException.Usage($"image reference '{reference}': empty path.");
        }

        var full = Path.GetFullPath(path);
        if (Exists(full))
        {
            return RealPath(full);
        }

        var parent = Path.GetDirectoryName(full.TrimEnd('/')) ?? "/";
        var file = Path.GetFileName(full.TrimEnd('/'));
        return CleanPath(RealPath(parent) + "/" + file);
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static string RealPath(string path)
    {
        var resolved = "/";
        var pending = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var links = 0;
        while (pending.TryDequeue(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            var candidate = resolved == "/" ? "/" + part : resolved + "/" + part;
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved = candidate;
                continue;
            }

            if (++links > 255)
            {
                throw StrataException.Usage($"{path}: too many levels of symbolic links.");
            }

            // Resolve the link's target first, then what was left of the path.
            var rest = pending.ToArray();
            pending.Clear();
            if (target.StartsWith('/'))
            {
                resolved = "/";
            }

            foreach (var item in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                pending.Enqueue(item);
            }
        }

        return resolved;
    }

    // openshift's scope grammar: hostname[/namespace[/stream[:tag]]].
    [GeneratedRegex(@"^[^/]*(/[^:/]*(/[^:/]*(:[^:/]*)?)?)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex AtomicScopePattern();
}
