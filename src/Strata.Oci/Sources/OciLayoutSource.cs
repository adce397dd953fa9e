namespace Strata.Oci.Sources;

using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Transports;

/// <summary>
/// An OCI image layout (<c>oci:DIR[:TAG|@DIGEST]</c>) or a tar of one (<c>oci-archive:FILE[:TAG]</c>):
/// oci-layout, index.json (tags in org.opencontainers.image.ref.name), blobs/ALG/HEX.
/// </summary>
public sealed class OciLayoutSource : IImageSource
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private readonly IImageFiles files;
    private readonly string? tag;
    private readonly Digest? digest;

    internal OciLayoutSource(string reference, IImageFiles files, string? tag, Digest? digest)
    {
        Reference = reference;
        this.files = files;
        this.tag = tag;
        this.digest = digest;
    }

    public string Reference { get; }

    public static OciLayoutSource OpenDirectory(string reference, string directory, string? tag, Digest? digest)
    {
        if (!Directory.Exists(directory))
        {
            throw StrataException.Usage($"{Redaction.Quote(reference, 200)}: directory {Redaction.Quote(directory, 200)} does not exist.");
        }

        return new OciLayoutSource(reference, new DirectoryImageFiles(directory, ImageTransports.Oci.Prefix + directory), tag, digest);
    }

    public static async Task<OciLayoutSource> OpenArchiveAsync(string reference, string file, string? tag, Limits limits, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw StrataException.Usage($"{Redaction.Quote(reference, 200)}: file {Redaction.Quote(file, 200)} does not exist.");
        }

        var files = await TarArchiveFiles.IndexAsync(file, ImageTransports.OciArchive.Prefix + file, limits, cancellationToken);
        return new OciLayoutSource(reference, files, tag, null);
    }

    public async Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken)
    {
        await CheckLayoutFileAsync(files, cancellationToken);
        var indexBytes = await SourceFiles.ReadSmallAsync(files, "index.json", null, cancellationToken);
        var index = ImageIndex.Parse(indexBytes, MediaTypes.OciIndex, $"{files.Origin}/index.json");

        if (digest is Digest wanted)
        {
            foreach (var entry in index.Manifests)
            {
                if (entry.Digest == wanted)
                {
                    return await SourceFiles.ReadDescribedManifestAsync(files, entry, $"{files.Origin}@{wanted}", cancellationToken);
                }
            }

            throw StrataException.BadInput($"{files.Origin}: index.json has no manifest {wanted}.");
        }

        var candidates = new List<Descriptor>();
        foreach (var entry in index.Manifests)
        {
            if (tag is null || (entry.Annotations.TryGetValue(RefNameAnnotation, out var name) && name == tag))
            {
                candidates.Add(entry);
            }
        }

        if (candidates.Count == 0)
        {
            throw StrataException.BadInput(tag is null
                ? $"{files.Origin}: index.json lists no manifests."
                : $"{files.Origin}: no image tagged '{Redaction.Quote(tag)}' in index.json (tags: {TagList(index)}).");
        }

        if (candidates.Count == 1)
        {
            return await SourceFiles.ReadDescribedManifestAsync(files, candidates[0], $"{files.Origin}:{tag ?? candidates[0].Digest.ToString()}", cancellationToken);
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Platform is null)
            {
                throw StrataException.BadInput($"{files.Origin}: index.json holds several images{(tag is null ? string.Empty : $" tagged '{Redaction.Quote(tag)}'")}; name one with :TAG or @DIGEST (tags: {TagList(index)}).");
            }
        }

        // Several platform manifests under one name: hand the resolver an index of them to choose from.
        return new RawManifest(SynthesizeIndex(candidates), MediaTypes.OciIndex, null, $"{files.Origin}/index.json") { Synthesized = true };
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var name = SourceFiles.BlobPath(descriptor.Digest);
        if (!files.Exists(name))
        {
            throw StrataException.BadInput($"{files.Origin}: blob {descriptor.Digest} ({descriptor.MediaType}) is missing ({name}).");
        }

        return Task.FromResult(files.Open(name));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static async Task CheckLayoutFileAsync(IImageFiles files, CancellationToken cancellationToken)
    {
        if (!files.Exists("oci-layout"))
        {
            throw StrataException.BadInput($"{files.Origin}: not an OCI image layout (no oci-layout file).");
        }

        var bytes = await SourceFiles.ReadSmallAsync(files, "oci-layout", null, cancellationToken);
        using var document = JsonFields.Parse(bytes, $"{files.Origin}/oci-layout");
        var root = JsonFields.Root(document, $"{files.Origin}/oci-layout");
        var version = root.String("imageLayoutVersion");
        if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw root.Fail($"imageLayoutVersion '{Redaction.Quote(version ?? "missing")}' is not supported (expected 1.x).");
        }
    }

    internal static byte[] SynthesizeIndex(IReadOnlyList<Descriptor> manifests)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                DescriptorWriter.Write(writer, manifest);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string TagList(ImageIndex index)
    {
        var tags = new List<string>();
        foreach (var entry in index.Manifests)
        {
            if (entry.Annotations.TryGetValue(RefNameAnnotation, out var name))
            {
                tags.Add(name);
            }
        }

        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }
}

internal static class DescriptorWriter
{
    public static void Write(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.Platform is { } platform)
        {
            writer.WriteStartObject("platform");
            writer.WriteString("os", platform.Os);
            writer.WriteString("architecture", platform.Architecture);
            if (platform.Variant is not null)
            {
                writer.WriteString("variant", platform.Variant);
            }

            writer.WriteEndObject();
        }

        if (descriptor.Annotations.Count > 0)
        {
            writer.WriteStartObject("annotations");
            foreach (var (key, value) in descriptor.Annotations)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
