namespace Strata.Oci.Sources;

using System.Globalization;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci.Model;
using Strata.Oci.Transports;

/// <summary>
/// A <c>docker save</c> / skopeo <c>docker-archive:FILE[:REF]</c> tarball: manifest.json names each image's
/// config and layer files (legacy <c>ID/layer.tar</c>, skopeo's <c>HEX.tar</c>, or Docker 25+'s
/// <c>blobs/sha256/HEX</c>). There is no stored manifest, so one is synthesized from manifest.json and the
/// config, with each layer's digest taken from its blob path, from the config's diff_ids (uncompressed
/// layer.tar), or computed (a compressed layer.tar).
/// </summary>
public sealed class DockerArchiveSource : IImageSource
{
    private readonly TarArchiveFiles files;
    private readonly string? wanted;
    private readonly Dictionary<Digest, string> blobs = [];

    private DockerArchiveSource(string reference, TarArchiveFiles files, string? wanted)
    {
        Reference = reference;
        this.files = files;
        this.wanted = wanted;
    }

    public string Reference { get; }

    public static async Task<DockerArchiveSource> OpenAsync(string reference, string file, string? wanted, Limits limits, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw StrataException.Usage($"{Redaction.Quote(reference, 200)}: file {Redaction.Quote(file, 200)} does not exist.");
        }

        var files = await TarArchiveFiles.IndexAsync(file, ImageTransports.DockerArchive.Prefix + file, limits, cancellationToken);
        return new DockerArchiveSource(reference, files, wanted);
    }

    public async Task<RawManifest> GetTopManifestAsync(CancellationToken cancellationToken)
    {
        var what = $"{files.Origin}/manifest.json";
        var bytes = await SourceFiles.ReadSmallAsync(files, "manifest.json", null, cancellationToken);
        using var document = JsonFields.Parse(bytes, what);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw StrataException.BadInput($"{what}: $: expected an array of images, found {document.RootElement.ValueKind}.");
        }

        var entry = SelectImage(document.RootElement, what);
        var configPath = entry.RequiredString("Config");
        var configBytes = await SourceFiles.ReadSmallAsync(files, configPath, null, cancellationToken);
        var configDigest = DigestFromPath(configPath) ?? Digest.Sha256Of(configBytes);
        blobs[configDigest] = configPath;
        var config = ImageConfig.Parse(configBytes, $"{files.Origin}/{configPath}");

        var layerPaths = entry.StringArray("Layers");
        if (layerPaths.Count != config.DiffIds.Count)
        {
            throw entry.Fail($"lists {layerPaths.Count} layers but config {configPath} has {config.DiffIds.Count} diff_ids.");
        }

        var layerSources = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
        if (entry.Object("LayerSources") is { } sources)
        {
            foreach (var property in sources.Element.EnumerateObject())
            {
                layerSources[property.Name] = DescriptorJson.Read(sources.Object(property.Name)!.Value);
            }
        }

        var layers = new List<Descriptor>(layerPaths.Count);
        for (var i = 0; i < layerPaths.Count; i++)
        {
            layers.Add(await DescribeLayerAsync(layerPaths[i], config.DiffIds[i], layerSources, cancellationToken));
        }

        var manifest = SynthesizeManifest(new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest, Size = configBytes.Length }, layers);
        return new RawManifest(manifest, MediaTypes.DockerManifest, null, what) { Synthesized = true };
    }

    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!blobs.TryGetValue(descriptor.Digest, out var name))
        {
            throw StrataException.BadInput($"{files.Origin}: blob {descriptor.Digest} ({descriptor.MediaType}) is not in the archive.");
        }

        return Task.FromResult(files.Open(name));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private JsonFields SelectImage(JsonElement images, string what)
    {
        var entries = JsonFields.Elements(images, what);
        if (entries.Count == 0)
        {
            throw StrataException.BadInput($"{what}: lists no images.");
        }

        if (wanted is null)
        {
            return entries.Count == 1
                ? entries[0]
                : throw StrataException.BadInput($"{what}: holds {entries.Count} images; name one with :REF or :@N (tags: {AllTags(entries)}).");
        }

        if (wanted.StartsWith('@'))
        {
            return int.TryParse(wanted.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < entries.Count
                ? entries[n]
                : throw StrataException.Usage($"{Reference}: no image @{wanted[1..]} in an archive of {entries.Count} images.");
        }

        var wantedNormal = NormalizeRef(wanted);
        foreach (var entry in entries)
        {
            foreach (var tag in entry.StringArray("RepoTags"))
            {
                if (NormalizeRef(tag) == wantedNormal)
                {
                    return entry;
                }
            }
        }

        throw StrataException.BadInput($"{what}: no image tagged '{Redaction.Quote(wanted)}' (tags: {AllTags(entries)}).");
    }

    private async Task<Descriptor> DescribeLayerAsync(string path, Digest diffId, Dictionary<string, Descriptor> layerSources, CancellationToken cancellationToken)
    {
        var size = files.SizeOf(path);
        if (DigestFromPath(path) is Digest named)
        {
            blobs[named] = path;
            if (layerSources.TryGetValue(named.ToString(), out var declared))
            {
                return declared with { Size = size };
            }

            return new Descriptor { MediaType = await MediaTypeByMagicAsync(path, cancellationToken), Digest = named, Size = size };
        }

        var mediaType = await MediaTypeByMagicAsync(path, cancellationToken);
        Digest digest;
        if (mediaType == MediaTypes.DockerLayer)
        {
            digest = diffId;
        }
        else
        {
            // A compressed layer.tar has no recorded digest: hash it once here.
            await using var stream = files.Open(path);
            using var hasher = diffId.CreateHasher();
            var buffer = new byte[128 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hasher.AppendData(buffer, 0, n);
            }

            digest = Digest.Parse($"{diffId.Algorithm}:{Convert.ToHexStringLower(hasher.GetHashAndReset())}", path);
        }

        blobs[digest] = path;
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size };
    }

    private async Task<string> MediaTypeByMagicAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = files.Open(path);
        var magic = new byte[4];
        var read = await stream.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
        return Layers.CompressionDetector.Detect(magic.AsSpan(0, read)) switch
        {
            LayerCompression.Gzip => MediaTypes.DockerLayerGzip,
            LayerCompression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.DockerLayer,
        };
    }

    private static Digest? DigestFromPath(string path)
    {
        var parts = path.Split('/');
        if (parts.Length >= 3 && parts[^3] == "blobs" && Digest.TryParse($"{parts[^2]}:{parts[^1]}", out var digest))
        {
            return digest;
        }

        var last = parts[^1];
        var dot = last.IndexOf('.', StringComparison.Ordinal);
        var stem = dot < 0 ? last : last[..dot];
        return Digest.TryParse("sha256:" + stem, out var hexDigest) ? hexDigest : null;
    }

    private static string NormalizeRef(string reference)
    {
        var name = reference;
        var lastSlash = name.LastIndexOf('/');
        if (name.IndexOf(':', lastSlash + 1) < 0 && !name.Contains('@', StringComparison.Ordinal))
        {
            name += ":latest";
        }

        foreach (var prefix in (string[])["docker.io/library/", "docker.io/", "index.docker.io/library/"])
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return name[prefix.Length..];
            }
        }

        return name;
    }

    private static string AllTags(IReadOnlyList<JsonFields> entries)
    {
        var tags = new List<string>();
        foreach (var entry in entries)
        {
            tags.AddRange(entry.StringArray("RepoTags"));
        }

        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }

    private static byte[] SynthesizeManifest(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.DockerManifest);
            writer.WritePropertyName("config");
            DescriptorWriter.Write(writer, config);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                DescriptorWriter.Write(writer, layer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
