namespace Strata.Oci.Destinations;

using Strata.Core;
using Strata.Core.Documents;
using Strata.Oci.Model;
using Strata.Oci.Registry;
using Strata.Oci.Sources;

/// <summary>
/// Copies an image (a manifest, or an index and every manifest under it, with configs and layers) into a
/// destination, bytes unchanged so every digest stays the same. Blobs the destination holds are skipped; on one
/// registry a blob is mounted from the source repository rather than sent. Every blob and manifest is verified on
/// the way. Children are written before their parents, so a registry never sees a manifest with missing blobs.
/// </summary>
public static class ImageCopier
{
    /// <summary>Copies the image <paramref name="source"/> names; the top manifest is stored under <paramref name="tag"/> when given. Returns its descriptor.</summary>
    public static async Task<Descriptor> CopyAsync(IImageSource source, IImageDestination destination, string? tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var top = await source.GetTopManifestAsync(cancellationToken);
        if (top.ExpectedDigest is { } expected && !expected.Matches(top.Bytes))
        {
            throw StrataException.BadInput($"{top.Origin}: manifest digest mismatch: expected {expected}.");
        }

        var mediaType = top.MediaType ?? ImageIndex.SniffMediaType(top.Bytes, top.Origin) ?? MediaTypes.OciManifest;
        return await CopyManifestAsync(source, destination, top.Bytes, mediaType, tag, depth: 0, top.Origin, cancellationToken);
    }

    /// <summary>Copies the image stored in <paramref name="from"/> under a tag or digest (e.g. from one layout into a registry).</summary>
    public static async Task<Descriptor> CopyAsync(IImageDestination from, string tagOrDigest, IImageDestination destination, string? tag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        await using var source = new StoredImageSource(from, tagOrDigest);
        return await CopyAsync(source, destination, tag, cancellationToken);
    }

    private static async Task<Descriptor> CopyManifestAsync(IImageSource source, IImageDestination destination, byte[] bytes, string mediaType, string? tag, int depth, string what, CancellationToken cancellationToken)
    {
        if (MediaTypes.IsIndex(mediaType))
        {
            if (depth >= Limits.Default.MaxIndexDepth)
            {
                throw StrataException.BadInput($"{what}: indexes nested more than {Limits.Default.MaxIndexDepth} deep.");
            }

            var index = ImageIndex.Parse(bytes, mediaType, what);
            foreach (var child in index.Manifests)
            {
                var childWhat = $"{source.Reference}: manifest {child.Digest}";
                byte[] childBytes;
                await using (var stream = await source.OpenBlobAsync(child, cancellationToken))
                await using (var verifying = new VerifyingStream(stream, child.Digest, child.Size, childWhat, leaveOpen: true))
                {
                    childBytes = await BoundedFile.ReadAllAsync(verifying, Limits.Default.MaxManifestBytes, childWhat, "a manifest", cancellationToken);
                }

                await CopyManifestAsync(source, destination, childBytes, child.MediaType, tag: null, depth + 1, childWhat, cancellationToken);
            }
        }
        else
        {
            var manifest = ImageManifest.Parse(bytes, mediaType, what);
            await CopyBlobAsync(source, destination, manifest.Config, cancellationToken);
            foreach (var layer in manifest.Layers)
            {
                // Foreign layers live at their URLs and are not copied (as skopeo does).
                if (layer.Urls.Count > 0 && !await destination.BlobExistsAsync(layer.Digest, cancellationToken) && IsForeign(layer.MediaType))
                {
                    continue;
                }

                await CopyBlobAsync(source, destination, layer, cancellationToken);
            }
        }

        return await destination.PutManifestAsync(bytes, mediaType, tag, cancellationToken);
    }

    private static bool IsForeign(string mediaType) =>
        mediaType.Contains("nondistributable", StringComparison.Ordinal) || mediaType.Contains("foreign", StringComparison.Ordinal);

    private static async Task CopyBlobAsync(IImageSource source, IImageDestination destination, Descriptor blob, CancellationToken cancellationToken)
    {
        if (await destination.BlobExistsAsync(blob.Digest, cancellationToken))
        {
            return;
        }

        if (source is RegistryImageSource registrySource && destination is RegistryDestination registryDestination
            && registrySource.ImageReference.Registry == registryDestination.ImageReference.Registry
            && registrySource.ImageReference.Repository != registryDestination.ImageReference.Repository
            && await registryDestination.TryMountBlobAsync(blob.Digest, registrySource.ImageReference.Repository, cancellationToken))
        {
            return;
        }

        await using var stream = await source.OpenBlobAsync(blob, cancellationToken);
        await destination.PutBlobAsync(blob, stream, cancellationToken);
    }
}

/// <summary>An image stored in a destination, read back as a source (for copying from it).</summary>
public sealed class StoredImageSource : IImageSource
{
    private readonly IImageDestination store;
    private readonly string tagOrDigest;

    public StoredImageSource(IImageDestination store, string tagOrDigest)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        this.store = store;
        this.tagOrDigest = tagOrDigest;
    }

    public string Reference => $"{store.Reference} ({tagOrDigest})";

    public async Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken)
    {
        var manifest = await store.GetManifestAsync(tagOrDigest, cancellationToken)
            ?? throw StrataException.BadInput($"{store.Reference}: no manifest '{Core.Findings.Redaction.Quote(tagOrDigest)}'.");
        return new RawManifest(manifest.Bytes, manifest.MediaType, manifest.Digest, Reference);
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken) => store.OpenBlobAsync(descriptor, cancellationToken);

    /// <summary>The store belongs to the caller.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
