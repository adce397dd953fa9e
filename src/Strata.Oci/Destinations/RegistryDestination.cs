namespace Strata.Oci.Destinations;

using Strata.Oci.Model;
using Strata.Oci.Registry;

/// <summary>
/// A registry repository as a destination (<c>docker://REGISTRY/REPOSITORY[:TAG|@DIGEST]</c>), written through
/// <see cref="RegistryClient"/>'s push side. Credentials come from the same places skopeo reads them (see
/// <see cref="CredentialStore"/>).
/// </summary>
public sealed class RegistryDestination : IImageDestination
{
    private readonly bool ownsClient;

    /// <summary>A destination with its own client.</summary>
    public RegistryDestination(ImageReference reference, RegistryOptions options)
        : this(reference, new RegistryClient(options), ownsClient: true)
    {
    }

    /// <summary>A destination sharing <paramref name="client"/> (its tokens and connections), which it does not dispose.</summary>
    public RegistryDestination(ImageReference reference, RegistryClient client)
        : this(reference, client, ownsClient: false)
    {
    }

    private RegistryDestination(ImageReference reference, RegistryClient client, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(client);
        ImageReference = reference;
        Client = client;
        this.ownsClient = ownsClient;
    }

    /// <summary>The repository (and tag or digest) written to.</summary>
    public ImageReference ImageReference { get; }

    public RegistryClient Client { get; }

    public string Reference => RegistryImageSource.Transport + ImageReference;

    public string? Tag => ImageReference.Tag;

    public Digest? Digest => ImageReference.Digest;

    public Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken) => Client.BlobExistsAsync(ImageReference, digest, cancellationToken);

    public async Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (await Client.BlobExistsAsync(ImageReference, descriptor.Digest, cancellationToken))
        {
            return;
        }

        await Client.PushBlobAsync(ImageReference, descriptor, content, cancellationToken);
    }

    /// <summary>Mounts a blob from another repository of the same registry; false when the registry uploads instead.</summary>
    public Task<bool> TryMountBlobAsync(Digest digest, string fromRepository, CancellationToken cancellationToken) =>
        Client.TryMountBlobAsync(ImageReference, digest, fromRepository, cancellationToken);

    public async Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType))
        {
            var manifest = await Client.GetManifestAsync(ImageReference, descriptor.Digest.ToString(), cancellationToken);
            return new MemoryStream(manifest.Bytes, writable: false);
        }

        return await Client.OpenBlobAsync(ImageReference, descriptor.Digest, descriptor.Size, cancellationToken);
    }

    public async Task<Descriptor> PutManifestAsync(ReadOnlyMemory<byte> bytes, string mediaType, string? tag, CancellationToken cancellationToken)
    {
        DestinationChecks.Tag(tag, Reference);
        var digest = await Client.PutManifestAsync(ImageReference, tag ?? Oci.Digest.Sha256Of(bytes.Span).ToString(), bytes, mediaType, cancellationToken);
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length };
    }

    public async Task<StoredManifest?> GetManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var manifest = await Client.TryGetManifestAsync(ImageReference, tagOrDigest, cancellationToken);
        return manifest is null
            ? null
            : new StoredManifest(manifest.Bytes, manifest.MediaType ?? ImageIndex.SniffMediaType(manifest.Bytes, $"{Reference}: manifest {manifest.Digest}") ?? MediaTypes.OciManifest, manifest.Digest);
    }

    public Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken) => Client.ListTagsAsync(ImageReference, cancellationToken);

    public Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken) =>
        Client.ListReferrersAsync(ImageReference, subject, artifactType, cancellationToken);

    public ValueTask DisposeAsync()
    {
        if (ownsClient)
        {
            Client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
