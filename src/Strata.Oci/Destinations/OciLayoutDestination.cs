namespace Strata.Oci.Destinations;

using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Sources;

/// <summary>
/// An OCI image layout directory as a destination (<c>oci:DIR[:TAG]</c>). The layout (<c>oci-layout</c>, an empty
/// <c>index.json</c>) is created on the first write. Blobs are written to a temporary file beside their place,
/// checked, then renamed into <c>blobs/ALG/HEX</c>; index.json is rewritten the same way, so a reader never sees a
/// half-written file. A tagged manifest gets an index.json entry with <c>org.opencontainers.image.ref.name</c> (an
/// older entry of the same tag is dropped); a manifest with a <c>subject</c> gets an untagged entry, so its referrers
/// can be found; any other manifest (an index's child) is stored as a blob only.
/// </summary>
public sealed class OciLayoutDestination : IImageDestination
{
    private const string LayoutFile = "oci-layout";
    private const string IndexFile = "index.json";

    // One writer of index.json at a time within the process; other writers are not expected while Strata writes.
    private readonly SemaphoreSlim indexLock = new(1, 1);

    public OciLayoutDestination(string directory, string? tag = null, Digest? digest = null, string? reference = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        Tag = tag;
        Digest = digest;
        Reference = reference ?? "oci:" + directory + (tag is null ? string.Empty : ":" + tag);
    }

    /// <summary>The layout's directory (absolute).</summary>
    public string Directory { get; }

    public string Reference { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    private string Origin => "oci:" + Directory;

    public Task<bool> BlobExistsAsync(Digest digest, CancellationToken cancellationToken) => Task.FromResult(File.Exists(BlobFile(digest)));

    public async Task PutBlobAsync(Descriptor descriptor, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(content);
        EnsureLayout();
        var target = BlobFile(descriptor.Digest);
        if (File.Exists(target) && new FileInfo(target).Length == descriptor.Size)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = TemporaryBeside(target);
        try
        {
            await using (var verifying = new VerifyingStream(content, descriptor.Digest, descriptor.Size, $"{Origin}: blob {descriptor.Digest}", leaveOpen: true))
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await verifying.CopyToAsync(file, cancellationToken);
                await verifying.DrainAsync(cancellationToken);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var path = BlobFile(descriptor.Digest);
        return File.Exists(path)
            ? Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
            : throw StrataException.BadInput($"{Origin}: blob {descriptor.Digest} ({descriptor.MediaType}) is missing ({SourceFiles.BlobPath(descriptor.Digest)}).");
    }

    public async Task<Descriptor> PutManifestAsync(ReadOnlyMemory<byte> bytes, string mediaType, string? tag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        DestinationChecks.Tag(tag, Origin);
        var facts = ManifestFacts.Read(bytes, $"{Origin}: the manifest to store");
        var descriptor = new Descriptor { MediaType = mediaType, Digest = Oci.Digest.Sha256Of(bytes.Span), Size = bytes.Length };
        using (var stream = new MemoryStream(bytes.ToArray(), writable: false))
        {
            await PutBlobAsync(descriptor, stream, cancellationToken);
        }

        if (tag is null && facts.Subject is null)
        {
            return descriptor;
        }

        await indexLock.WaitAsync(cancellationToken);
        try
        {
            var index = await ReadIndexAsync(cancellationToken) ?? NewIndex();
            var manifests = index["manifests"]!.AsArray();
            for (var i = manifests.Count - 1; i >= 0; i--)
            {
                var entry = manifests[i];
                var name = RefName(entry);
                var sameDigest = entry?["digest"]?.GetValueKind() == JsonValueKind.String && entry["digest"]!.GetValue<string>() == descriptor.Digest.ToString();
                if ((tag is not null && name == tag) || (name is null && sameDigest))
                {
                    manifests.RemoveAt(i);
                }
            }

            var added = new JsonObject
            {
                ["mediaType"] = mediaType,
                ["digest"] = descriptor.Digest.ToString(),
                ["size"] = descriptor.Size,
            };
            if (facts.ArtifactType is { } artifactType)
            {
                added["artifactType"] = artifactType;
            }

            if (tag is not null)
            {
                added["annotations"] = new JsonObject { [OciLayoutSource.RefNameAnnotation] = tag };
            }

            manifests.Add((JsonNode)added);
            await WriteAtomicallyAsync(Path.Combine(Directory, IndexFile), Serialize(index), cancellationToken);
        }
        finally
        {
            indexLock.Release();
        }

        return descriptor;
    }

    public async Task<StoredManifest?> GetManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(tagOrDigest);
        string? mediaType = null;
        Digest digest;
        if (Oci.Digest.TryParse(tagOrDigest, out var asked))
        {
            digest = asked;
            if (!File.Exists(BlobFile(digest)))
            {
                return null;
            }
        }
        else
        {
            var index = await ReadIndexAsync(cancellationToken);
            var entry = index?["manifests"]!.AsArray().LastOrDefault(e => RefName(e) == tagOrDigest);
            if (entry is null)
            {
                return null;
            }

            var digestText = entry["digest"]?.GetValueKind() == JsonValueKind.String ? entry["digest"]!.GetValue<string>() : null;
            digest = Oci.Digest.Parse(digestText ?? string.Empty, $"{Origin}/index.json: the entry tagged '{Redaction.Quote(tagOrDigest)}'");
            mediaType = entry["mediaType"]?.GetValueKind() == JsonValueKind.String ? entry["mediaType"]!.GetValue<string>() : null;
            if (!File.Exists(BlobFile(digest)))
            {
                throw StrataException.BadInput($"{Origin}: index.json tags '{Redaction.Quote(tagOrDigest)}' as {digest}, but that blob is missing.");
            }
        }

        var bytes = await ReadManifestBlobAsync(digest, cancellationToken);
        mediaType ??= ImageIndex.SniffMediaType(bytes, $"{Origin}: manifest {digest}") ?? MediaTypes.OciManifest;
        return new StoredManifest(bytes, mediaType, digest);
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken)
    {
        var index = await ReadIndexAsync(cancellationToken);
        if (index is null)
        {
            return [];
        }

        return index["manifests"]!.AsArray().Select(RefName).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var index = await ReadIndexAsync(cancellationToken);
        var referrers = new List<Referrer>();
        var seen = new HashSet<Digest>();
        foreach (var entry in index?["manifests"]!.AsArray() ?? [])
        {
            var digestText = entry?["digest"]?.GetValueKind() == JsonValueKind.String ? entry["digest"]!.GetValue<string>() : null;
            var mediaType = entry?["mediaType"]?.GetValueKind() == JsonValueKind.String ? entry["mediaType"]!.GetValue<string>() : null;
            if (!Oci.Digest.TryParse(digestText, out var digest) || !MediaTypes.IsManifest(mediaType) && !MediaTypes.IsIndex(mediaType) || !seen.Add(digest) || !File.Exists(BlobFile(digest)))
            {
                continue;
            }

            var bytes = await ReadManifestBlobAsync(digest, cancellationToken);
            var facts = ManifestFacts.Read(bytes, $"{Origin}: manifest {digest}");
            if (facts.Subject != subject || (artifactType is not null && facts.EffectiveArtifactType != artifactType))
            {
                continue;
            }

            referrers.Add(new Referrer(
                new Descriptor { MediaType = mediaType!, Digest = digest, Size = bytes.Length, Annotations = facts.Annotations },
                facts.EffectiveArtifactType));
        }

        return new ReferrerList(true, referrers);
    }

    public ValueTask DisposeAsync()
    {
        indexLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? RefName(JsonNode? entry) =>
        entry?["annotations"]?[OciLayoutSource.RefNameAnnotation] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static JsonObject NewIndex() => new() { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray() };

    private static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static string TemporaryBeside(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = TemporaryBeside(path);
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private string BlobFile(Digest digest) => Path.Combine(Directory, "blobs", digest.Algorithm, digest.Hex);

    private void EnsureLayout()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var layout = Path.Combine(Directory, LayoutFile);
        if (!File.Exists(layout))
        {
            File.WriteAllText(layout, "{\"imageLayoutVersion\":\"1.0.0\"}");
        }

        var index = Path.Combine(Directory, IndexFile);
        if (!File.Exists(index))
        {
            var temporary = TemporaryBeside(index);
            File.WriteAllBytes(temporary, Serialize(NewIndex()));
            File.Move(temporary, index, overwrite: false);
        }
    }

    /// <summary>index.json as a JSON object with a manifests array (other fields kept as they are), or null when the layout does not exist yet.</summary>
    private async Task<JsonObject?> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, IndexFile);
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
        {
            bytes = await BoundedFile.ReadAllAsync(stream, Limits.Default.MaxDocumentBytes, $"{Origin}/index.json", "a JSON document", cancellationToken);
        }

        JsonNode? node;
        try
        {
            JsonStrings.Validate(bytes, $"{Origin}/index.json");
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = Limits.Default.MaxDepth });
        }
        catch (JsonException e)
        {
            throw StrataException.BadInput($"{Origin}/index.json is not valid JSON (line {e.LineNumber + 1}).");
        }

        if (node is not JsonObject index || index["manifests"] is not JsonArray)
        {
            throw StrataException.BadInput($"{Origin}/index.json is not an image index (no manifests array).");
        }

        return index;
    }

    private async Task<byte[]> ReadManifestBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(BlobFile(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        var bytes = await BoundedFile.ReadAllAsync(stream, Limits.Default.MaxManifestBytes, $"{Origin}: manifest {digest}", "a manifest", cancellationToken);
        return digest.Matches(bytes)
            ? bytes
            : throw StrataException.BadInput($"{Origin}: manifest {digest}: digest mismatch: the stored bytes hash to something else.");
    }
}
