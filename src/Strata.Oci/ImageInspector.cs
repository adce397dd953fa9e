namespace Strata.Oci;

using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Oci.Resolution;

/// <summary>A layer as <c>strata image inspect</c> shows it.</summary>
public sealed record LayerSummary(
    int Index,
    Digest Digest,
    string MediaType,
    long Size,
    Digest DiffId,
    string? CreatedBy,
    int Entries,
    int FilesAdded,
    int FilesModified,
    int FilesDeleted,
    long ContentBytes,
    long WastedBytes)
{
    /// <summary>How the layer is encrypted, when it is (ocicrypt); null for a plain layer.</summary>
    public LayerEncryption? Encryption { get; init; }
}

/// <summary>
/// An encrypted layer as <c>image inspect</c> shows it: the key-wrapping schemes its annotations name, the recipients
/// readable without a key (filled in by Strata.Encryption), and whether it was decrypted (a key was given).
/// </summary>
public sealed record LayerEncryption(IReadOnlyList<string> Schemes, IReadOnlyList<string> Recipients, bool Decrypted)
{
    private const string KeysPrefix = "org.opencontainers.image.enc.keys.";

    /// <summary>The schemes of a layer's <c>org.opencontainers.image.enc.keys.*</c> annotations, sorted.</summary>
    public static IReadOnlyList<string> SchemesOf(Descriptor layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return [.. layer.Annotations.Keys.Where(k => k.StartsWith(KeysPrefix, StringComparison.Ordinal)).Select(k => k[KeysPrefix.Length..]).Order(StringComparer.Ordinal)];
    }
}

/// <summary>What <c>strata image inspect</c> shows.</summary>
public sealed record ImageSummary(
    string Reference,
    Digest ManifestDigest,
    string ManifestMediaType,
    bool ManifestSynthesized,
    IReadOnlyList<Digest> IndexDigests,
    Digest ConfigDigest,
    ImageConfig Config,
    IReadOnlyList<LayerSummary> Layers,
    long WastedBytes);

/// <summary>One path as <c>strata image files</c> lists it.</summary>
public sealed record FileListing(
    string Path,
    EntryType Type,
    int Mode,
    string ModeString,
    long Uid,
    long Gid,
    long Size,
    string? LinkTarget,
    bool Exists,
    int AddedInLayer,
    IReadOnlyList<int> ModifiedInLayers,
    IReadOnlyList<int> DeletedInLayers,
    string? CreatedBy);

/// <summary>The image operations the CLI calls: open, inspect, list files, extract.</summary>
public static class ImageInspector
{
    public static async Task<ImageSummary> InspectAsync(ResolvedImage image, CancellationToken cancellationToken)
    {
        var fileSystem = await LayeredFileSystem.BuildAsync(image, cancellationToken);
        return Summarize(image, fileSystem);
    }

    public static ImageSummary Summarize(ResolvedImage image, LayeredFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(fileSystem);
        var layers = new List<LayerSummary>(image.Layers.Count);
        foreach (var layer in image.Layers)
        {
            var changes = fileSystem.LayerChanges[layer.Index];
            layers.Add(new LayerSummary(
                layer.Index,
                layer.Descriptor.Digest,
                layer.Descriptor.MediaType,
                layer.Descriptor.Size,
                layer.DiffId,
                layer.CreatedBy,
                changes.Entries,
                changes.Added,
                changes.Modified,
                changes.Deleted,
                changes.ContentBytes,
                changes.WastedBytes)
            {
                Encryption = layer.Encrypted ? new LayerEncryption(LayerEncryption.SchemesOf(layer.Descriptor), [], layer.Readable) : null,
            });
        }

        return new ImageSummary(
            image.Reference,
            image.ManifestDigest,
            image.ManifestMediaType,
            image.ManifestSynthesized,
            image.IndexDigests,
            image.Manifest.Config.Digest,
            image.Config,
            layers,
            fileSystem.WastedBytes);
    }

    /// <summary>Files sorted by path; <paramref name="layerIndex"/> keeps those one layer touched; deleted ones on request.</summary>
    public static IReadOnlyList<FileListing> ListFiles(LayeredFileSystem fileSystem, int? layerIndex = null, bool includeDeleted = false)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var histories = fileSystem.List(includeDeleted, layerIndex);
        var listing = new List<FileListing>(histories.Count);
        foreach (var history in histories)
        {
            var last = history.Versions[^1];
            var entry = last.Entry;
            listing.Add(new FileListing(
                history.Path,
                entry.Type,
                entry.Mode,
                entry.ModeString,
                entry.Uid,
                entry.Gid,
                entry.Size,
                entry.LinkTarget,
                history.Exists,
                history.AddedIn,
                history.ModifiedIn,
                history.DeletedIn,
                last.CreatedBy));
        }

        return listing;
    }

    /// <summary>
    /// Streams the content of <paramref name="path"/> as one layer stored it (also for files a later layer deleted),
    /// into <paramref name="destination"/>. Returns false when the layer has no such regular file.
    /// </summary>
    public static async Task<bool> CopyFileFromLayerAsync(ResolvedImage image, int layerIndex, string path, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        var wanted = EntryPaths.Normalize(path, "path");
        var found = false;
        await LayerReader.ReadAsync(image.Source, image.Layers[layerIndex], image.Options.Limits, null, async (entry, content, token) =>
        {
            if (content is not null && entry.Path == wanted)
            {
                // A later duplicate in the same layer wins, as in extraction.
                destination.SetLength(0);
                await content.CopyToAsync(destination, token);
                found = true;
            }
        }, cancellationToken);
        return found;
    }
}
