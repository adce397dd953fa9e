namespace Strata.Oci.Sources;

using Strata.Core;
using Strata.Oci.Registry;

/// <summary>Opens an image source from a containers-transports reference (<c>oci:</c>, <c>oci-archive:</c>, <c>docker-archive:</c>, <c>dir:</c>, <c>docker://</c>).</summary>
public static class ImageSources
{
    public static IReadOnlyList<string> Transports { get; } = ["oci", "oci-archive", "docker-archive", "dir", "docker"];

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

        if (transport == "docker")
        {
            return RegistryImageSource.Open(transportReference, options.Registry);
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
