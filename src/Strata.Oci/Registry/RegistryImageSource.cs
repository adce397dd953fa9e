namespace Strata.Oci.Registry;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Sources;

/// <summary>
/// The <c>docker://</c> source: an image in a registry. Manifests come checked against the digest asked for and
/// the registry's Docker-Content-Digest; blobs come raw (the reader verifies them, as for every source).
/// </summary>
public sealed class RegistryImageSource : IImageSource
{
    public const string Transport = "docker://";

    private readonly RegistryClient client;
    private readonly bool ownsClient;

    /// <summary>A source with its own client.</summary>
    public RegistryImageSource(ImageReference reference, RegistryOptions options)
        : this(reference, new RegistryClient(options), ownsClient: true)
    {
    }

    /// <summary>A source sharing <paramref name="client"/> (its tokens and connections), which it does not dispose.</summary>
    public RegistryImageSource(ImageReference reference, RegistryClient client)
        : this(reference, client, ownsClient: false)
    {
    }

    private RegistryImageSource(ImageReference reference, RegistryClient client, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(client);
        ImageReference = reference;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    public ImageReference ImageReference { get; }

    public string Reference => Transport + ImageReference.Original;

    /// <summary>Opens <c>docker://REFERENCE</c> (the transport prefix is optional); a bad reference is a usage error.</summary>
    public static RegistryImageSource Open(string reference, RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var text = reference.StartsWith(Transport, StringComparison.Ordinal) ? reference[Transport.Length..] : reference;
        if (text.Length == 0)
        {
            throw StrataException.Usage($"'{Redaction.Quote(reference, 200)}': expected docker://[REGISTRY/]REPOSITORY[:TAG][@DIGEST].");
        }

        return new RegistryImageSource(ImageReference.Parse(text), options);
    }

    public async Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken)
    {
        var manifest = await client.GetManifestAsync(ImageReference, cancellationToken);
        return new RawManifest(manifest.Bytes, manifest.MediaType, manifest.Digest, $"{Transport}{ImageReference}");
    }

    /// <summary>
    /// Manifests and indexes (by media type) come from <c>/manifests/DIGEST</c>, checked against the digest;
    /// any other blob is streamed raw from <c>/blobs/DIGEST</c> and must be verified by the caller.
    /// </summary>
    public async Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (ManifestMediaTypes.IsManifest(descriptor.MediaType))
        {
            var manifest = await client.GetManifestAsync(ImageReference, descriptor.Digest.ToString(), cancellationToken);
            return new MemoryStream(manifest.Bytes, writable: false);
        }

        return await client.OpenBlobAsync(ImageReference, descriptor.Digest, descriptor.Size, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (ownsClient)
        {
            client.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
