namespace Strata.Oci.Sources;

using Strata.Oci.Model;

/// <summary>
/// Where an image comes from (an OCI layout, an archive, skopeo's dir format, a registry).
/// A source only hands out raw bytes; <see cref="IImageSource"/> users verify every digest
/// (see <see cref="VerifyingStream"/>).
/// </summary>
public interface IImageSource : IAsyncDisposable
{
    /// <summary>The reference as given, e.g. <c>oci:/tmp/layout:latest</c>.</summary>
    string Reference { get; }

    /// <summary>
    /// The top-level manifest or index the reference names, raw as stored, with its media type.
    /// The digest, where the source knows one (a registry's Docker-Content-Digest, an index entry), is included and must be checked.
    /// </summary>
    Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken);

    /// <summary>Opens a blob (manifest, config or layer) by descriptor: raw, unverified, exactly as stored.</summary>
    Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);
}

/// <summary>Manifest bytes exactly as stored (digests are computed over these bytes).</summary>
public sealed record RawManifest(byte[] Bytes, string? MediaType, Digest? ExpectedDigest, string Origin)
{
    /// <summary>The size the referring descriptor declares, when there is one; checked with the digest.</summary>
    public long? ExpectedSize { get; init; }

    /// <summary>True when the source made these bytes up (docker-archive's manifest.json has no real manifest); the digest then identifies only this reading.</summary>
    public bool Synthesized { get; init; }
}
