namespace Strata.Oci.Sources;

using System.Collections.Concurrent;
using Strata.Core;

/// <summary>Opens an image source from a containers-transports reference (<c>oci:</c>, <c>oci-archive:</c>, <c>docker-archive:</c>, <c>dir:</c>, <c>docker://</c>).</summary>
public static class ImageSources
{
    /// <summary>Opens a source for <c>docker://</c> (or another transport) given the text after "transport:".</summary>
    public delegate Task<IImageSource> TransportOpener(string reference, string remainder, ImageOpenOptions options, CancellationToken cancellationToken);

    private static readonly ConcurrentDictionary<string, TransportOpener> Extra = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Transports => ["oci", "oci-archive", "docker-archive", "dir", .. Extra.Keys];

    /// <summary>Registers a transport implemented elsewhere (the registry client registers "docker").</summary>
    public static void Register(string transport, TransportOpener opener) => Extra[transport] = opener;

    public static async Task<IImageSource> OpenAsync(string transportReference, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transportReference);
        ArgumentNullException.ThrowIfNull(options);
        var colon = transportReference.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw StrataException.Usage($"'{transportReference}': expected TRANSPORT:REFERENCE, e.g. oci:DIR:TAG, oci-archive:FILE, docker-archive:FILE, dir:DIR, docker://NAME.");
        }

        var transport = transportReference[..colon];
        var remainder = transportReference[(colon + 1)..];
        if (remainder.Length == 0)
        {
            throw StrataException.Usage($"'{transportReference}': nothing after '{transport}:'.");
        }

        switch (transport)
        {
            case "oci":
            {
                var (path, tag, digest) = SplitLayoutReference(transportReference, remainder);
                return OciLayoutSource.OpenDirectory(transportReference, path, tag, digest);
            }

            case "oci-archive":
            {
                var (path, tag) = SplitPath(remainder);
                return await OciLayoutSource.OpenArchiveAsync(transportReference, path, tag, options.Limits, cancellationToken);
            }

            case "docker-archive":
            {
                var (path, wanted) = SplitPath(remainder);
                return await DockerArchiveSource.OpenAsync(transportReference, path, wanted, options.Limits, cancellationToken);
            }

            case "dir":
                return DirectorySource.Open(transportReference, remainder);
        }

        if (Extra.TryGetValue(transport, out var opener))
        {
            return await opener(transportReference, remainder, options, cancellationToken);
        }

        if (transport == "docker")
        {
            throw StrataException.Usage($"'{transportReference}': the registry source (docker://) is not available in this build.");
        }

        throw StrataException.Usage($"'{transportReference}': unknown transport '{transport}' (known: {string.Join(", ", Transports)}).");
    }

    /// <summary>oci:PATH[:TAG] or oci:PATH@DIGEST. The path ends at the first ':' (as in containers/image), so tags may not hold one.</summary>
    private static (string Path, string? Tag, Digest? Digest) SplitLayoutReference(string reference, string remainder)
    {
        var at = remainder.LastIndexOf('@');
        if (at > 0 && Digest.TryParse(remainder[(at + 1)..], out var digest))
        {
            return (remainder[..at], null, digest);
        }

        var (path, tag) = SplitPath(remainder);
        if (tag is not null && tag.StartsWith('@'))
        {
            throw StrataException.Usage($"'{reference}': '{tag}' is not a digest (expected @sha256:<64 hex>).");
        }

        return (path, tag, null);
    }

    private static (string Path, string? Tag) SplitPath(string remainder)
    {
        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (remainder, null) : (remainder[..colon], remainder[(colon + 1)..] is { Length: > 0 } tag ? tag : null);
    }
}
