namespace Strata.Oci.Destinations;

using Strata.Oci.Model;

/// <summary>
/// A repository-like store an image can be written to and read back from: an OCI image layout
/// (<see cref="OciLayoutDestination"/>) or a registry repository (<see cref="RegistryDestination"/>).
/// Blobs are content-addressed and checked while they are written; manifests are stored by digest and, when a
/// tag is given, under that tag (a previous manifest of the same tag is replaced). Signing and layer encryption
/// write through this interface; <see cref="ImageCopier"/> copies whole images into it.
/// </summary>
public interface IImageDestination : IAsyncDisposable
{
    /// <summary>The destination as given, e.g. <c>oci:/tmp/layout:latest</c> or <c>docker://localhost:5000/app:1</c>; names it in messages.</summary>
    string Reference { get; }

    /// <summary>The tag the reference names, or null.</summary>
    string? Tag { get; }

    /// <summary>The digest the reference names, or null.</summary>
    Digest? Digest { get; }

    /// <summary>Whether the store holds the blob (a layer, a config, or any other content-addressed blob).</summary>
    Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a blob read from <paramref name="content"/>, which must hash to the descriptor's digest and hold exactly
    /// its size: anything else is refused and leaves nothing behind. A blob already present is not written again.
    /// </summary>
    Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a stored blob, raw (verify it, e.g. with <see cref="VerifyingStream"/>); a missing blob is an error naming it.</summary>
    Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a manifest or index by its digest and, when <paramref name="tag"/> is given, under that tag. The blobs it
    /// refers to should be stored first (a registry refuses a manifest whose blobs it lacks). Returns its descriptor.
    /// </summary>
    Task<Descriptor> PutManifestAsync(ReadOnlyMemory<byte> bytes, string mediaType, string? tag, CancellationToken cancellationToken);

    /// <summary>The manifest or index stored under a tag or digest, or null when there is none (so a signer can append to an existing tag).</summary>
    Task<StoredManifest?> GetManifestAsync(string tagOrDigest, CancellationToken cancellationToken);

    /// <summary>The tags the store holds, sorted.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The manifests whose <c>subject</c> is <paramref name="subject"/> (OCI 1.1 referrers), optionally only those of one
    /// artifact type. A registry without the referrers API answers <see cref="ReferrerList.Supported"/> false (then use
    /// the tag schema, e.g. <c>sha256-HEX.sig</c>).
    /// </summary>
    Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);
}

/// <summary>A manifest or index read back from a destination; <see cref="Digest"/> has been checked against <see cref="Bytes"/>.</summary>
public sealed record StoredManifest(byte[] Bytes, string MediaType, Digest Digest)
{
    public Descriptor Descriptor => new() { MediaType = MediaType, Digest = Digest, Size = Bytes.Length };
}

/// <summary>One referrer: its descriptor and its artifact type (the manifest's artifactType, else its config's media type).</summary>
public sealed record Referrer(Descriptor Descriptor, string? ArtifactType);

/// <summary>The referrers of a digest; <see cref="Supported"/> false when the store has no referrers API (the list is then empty).</summary>
public sealed record ReferrerList(bool Supported, IReadOnlyList<Referrer> Referrers)
{
    public static ReferrerList NotSupported { get; } = new(false, []);
}
