namespace Strata.Oci;

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Targets;

/// <summary>
/// A registry image reference, <c>[registry[:port]/]path[:tag][@digest]</c>, parsed and normalised as the
/// Docker reference grammar (distribution/reference) does: <c>alpine</c> is <c>docker.io/library/alpine:latest</c>.
/// </summary>
public sealed partial record ImageReference
{
    /// <summary>The registry name used in references and credential files for Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that actually serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The tag used when a reference names neither tag nor digest.</summary>
    public const string DefaultTag = "latest";

    /// <summary>Longest repository name, registry included (distribution's NameTotalLengthMax).</summary>
    public const int MaxNameLength = 255;

    private ImageReference(string registry, string repository, string? tag, Digest? digest, string original)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        Original = original;
    }

    /// <summary>The registry as named in the reference, e.g. <c>docker.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path, e.g. <c>library/alpine</c>.</summary>
    public string Repository { get; }

    /// <summary>The tag as written, or null (then <see cref="DefaultTag"/> applies unless there is a digest).</summary>
    public string? Tag { get; }

    /// <summary>The digest as written, or null. When present it wins over the tag.</summary>
    public Digest? Digest { get; }

    /// <summary>The reference exactly as given.</summary>
    public string Original { get; }

    /// <summary>The host[:port] to send registry API requests to.</summary>
    public string ApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary>What to put after <c>/manifests/</c>: the digest if there is one, else the tag (default <c>latest</c>).</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>The fully qualified name, e.g. <c>docker.io/library/alpine</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses a reference; throws a usage error naming the text when it is not one.</summary>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ReferenceCredentials.TryFind(text, out var redacted))
        {
            throw ReferenceCredentials.Refused(Shorten(redacted));
        }

        return TryParse(text, out var reference, out var error)
            ? reference
            : throw StrataException.Usage($"image reference '{Shorten(text)}': {error}.");
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        reference = null;
        if (text.Length == 0)
        {
            error = "empty reference";
            return false;
        }

        if (text.Length > 4 * MaxNameLength)
        {
            error = "reference too long";
            return false;
        }

        if (ReferenceCredentials.TryFind(text, out _))
        {
            error = "credentials in an image reference are not accepted; pass them with --creds or --authfile";
            return false;
        }

        var remainder = text;
        Digest? digest = null;
        var at = remainder.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var digestText = remainder[(at + 1)..];
            if (!Oci.Digest.TryParse(digestText, out var parsed))
            {
                error = $"invalid digest '{Shorten(digestText)}' (expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>)";
                return false;
            }

            digest = parsed;
            remainder = remainder[..at];
        }

        string? tag = null;
        var lastSlash = remainder.LastIndexOf('/');
        var colon = remainder.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = remainder[(colon + 1)..];
            remainder = remainder[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"invalid tag '{Shorten(tag)}' (expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})";
                return false;
            }
        }

        if (remainder.Length == 0)
        {
            error = "missing repository name";
            return false;
        }

        if (AnchoredIdentifierPattern().IsMatch(remainder))
        {
            error = "a 64-character hexadecimal string is an image ID, not a repository name";
            return false;
        }

        var (registry, path) = SplitRegistry(remainder);
        if (registry.Length > 0 && !DomainPattern().IsMatch(registry))
        {
            error = $"invalid registry '{Shorten(registry)}'";
            return false;
        }

        if (!PathPattern().IsMatch(path))
        {
            error = PathPattern().IsMatch(path.ToLowerInvariant())
                ? "repository name must be lowercase"
                : $"invalid repository name '{Shorten(path)}' (components of [a-z0-9] separated by '.', '_', '__' or '-', joined by '/')";
            return false;
        }

        registry = registry switch
        {
            "" or "index.docker.io" => DockerHub,
            _ => registry,
        };
        if (registry == DockerHub && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }

        if (registry.Length + 1 + path.Length > MaxNameLength)
        {
            error = $"repository name must not be more than {MaxNameLength} characters";
            return false;
        }

        reference = new ImageReference(registry, path, tag, digest, text);
        error = null;
        return true;
    }

    /// <summary>The same repository, pinned to <paramref name="digest"/>.</summary>
    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest, Original);

    /// <summary>Canonical form: <c>registry/repository[:tag][@digest]</c>, with <c>:latest</c> when neither is given.</summary>
    public override string ToString()
    {
        var tagPart = Tag is not null ? ":" + Tag : Digest is null ? ":" + DefaultTag : string.Empty;
        var digestPart = Digest is { } d ? "@" + d : string.Empty;
        return $"{Registry}/{Repository}{tagPart}{digestPart}";
    }

    // distribution/reference splitDockerDomain: the first component is a registry only if it looks like a host.
    private static (string Registry, string Path) SplitRegistry(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (string.Empty, name);
        }

        var first = name[..slash];
        var looksLikeHost = first.Contains('.', StringComparison.Ordinal)
            || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost"
            || !string.Equals(first.ToLowerInvariant(), first, StringComparison.Ordinal);
        return looksLikeHost ? (first, name[(slash + 1)..]) : (string.Empty, name);
    }

    private static string Shorten(string text) => Redaction.Quote(text, 300);

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    // Go's regexp \w and $ are ASCII-only and end-anchored; .NET's are not, hence explicit classes and \z.
    // Host names or an IPv4 address, or a bracketed IPv6 address, with an optional port.
    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredIdentifierPattern();
}
