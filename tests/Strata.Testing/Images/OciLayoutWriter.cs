namespace Strata.Testing.Images;

using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

/// <summary>A layer to write: its uncompressed tar and how to store it.</summary>
public sealed record LayerBlob(byte[] Tar, string MediaType, byte[] Blob, string CreatedBy)
{
    public string Digest => OciLayoutWriter.DigestOf(Blob);

    public string DiffId => OciLayoutWriter.DigestOf(Tar);
}

/// <summary>Writes OCI image layouts by hand, digests computed, so tests can craft hostile images.</summary>
public sealed class OciLayoutWriter
{
    private readonly string root;

    public OciLayoutWriter(string root)
    {
        this.root = root;
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(root, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    public string Root => root;

    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>A tar built with System.Formats.Tar; <paramref name="build"/> adds entries.</summary>
    public static byte[] Tar(Action<TarWriter> build, TarEntryFormat format = TarEntryFormat.Pax)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, format, leaveOpen: true))
        {
            build(writer);
        }

        return buffer.ToArray();
    }

    public static void AddFile(TarWriter writer, string name, string content, int mode = 0x1A4)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)mode,
            ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        writer.WriteEntry(entry);
    }

    public static void AddEntry(TarWriter writer, TarEntryType type, string name, string? link = null, int mode = 0x1ED)
    {
        var entry = new PaxTarEntry(type, name)
        {
            Mode = (UnixFileMode)mode,
            ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        if (link is not null)
        {
            entry.LinkName = link;
        }

        writer.WriteEntry(entry);
    }

    public static LayerBlob Gzip(byte[] tar, string createdBy = "test")
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return new LayerBlob(tar, "application/vnd.oci.image.layer.v1.tar+gzip", buffer.ToArray(), createdBy);
    }

    public static LayerBlob Plain(byte[] tar, string createdBy = "test") =>
        new(tar, "application/vnd.oci.image.layer.v1.tar", tar, createdBy);

    public string WriteBlob(byte[] data)
    {
        var digest = DigestOf(data);
        File.WriteAllBytes(BlobPath(digest), data);
        return digest;
    }

    public string BlobPath(string digest) => Path.Combine(root, "blobs", "sha256", digest["sha256:".Length..]);

    /// <summary>The config JSON for these layers (diff_ids and history from them).</summary>
    public static JsonObject Config(IReadOnlyList<LayerBlob> layers, string architecture = "amd64")
    {
        var diffIds = new JsonArray();
        var history = new JsonArray();
        foreach (var layer in layers)
        {
            diffIds.Add(layer.DiffId);
            history.Add(new JsonObject { ["created_by"] = layer.CreatedBy });
        }

        return new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["User"] = "1000",
                ["Env"] = new JsonArray("PATH=/bin"),
                ["Cmd"] = new JsonArray("/bin/app"),
                ["ExposedPorts"] = new JsonObject { ["8080/tcp"] = new JsonObject() },
                ["Labels"] = new JsonObject { ["org.example"] = "yes" },
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["history"] = history,
        };
    }

    /// <summary>Writes blobs, config and manifest; returns the manifest descriptor (not yet in index.json).</summary>
    public JsonObject WriteImage(IReadOnlyList<LayerBlob> layers, JsonObject? config = null, Func<JsonObject, JsonObject>? editManifest = null)
    {
        var configBytes = Encoding.UTF8.GetBytes((config ?? Config(layers)).ToJsonString());
        var layerDescriptors = new JsonArray();
        foreach (var layer in layers)
        {
            WriteBlob(layer.Blob);
            layerDescriptors.Add(new JsonObject { ["mediaType"] = layer.MediaType, ["digest"] = layer.Digest, ["size"] = layer.Blob.Length });
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = WriteBlob(configBytes), ["size"] = configBytes.Length },
            ["layers"] = layerDescriptors,
        };
        manifest = editManifest?.Invoke(manifest) ?? manifest;
        return Describe(Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
    }

    /// <summary>Writes a JSON blob and returns its descriptor.</summary>
    public JsonObject Describe(byte[] bytes, string mediaType) =>
        new() { ["mediaType"] = mediaType, ["digest"] = WriteBlob(bytes), ["size"] = bytes.Length };

    public JsonObject WriteIndexBlob(params JsonObject[] manifests)
    {
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = new JsonArray([.. manifests]) };
        return Describe(Encoding.UTF8.GetBytes(index.ToJsonString()), "application/vnd.oci.image.index.v1+json");
    }

    /// <summary>Writes index.json listing these descriptors (a tag goes in ref.name).</summary>
    public void WriteIndex(params (JsonObject Descriptor, string? Tag)[] entries)
    {
        var manifests = new JsonArray();
        foreach (var (descriptor, tag) in entries)
        {
            var copy = (JsonObject)descriptor.DeepClone();
            if (tag is not null)
            {
                copy["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
            }

            manifests.Add(copy);
        }

        File.WriteAllText(Path.Combine(root, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = manifests }.ToJsonString());
    }

    /// <summary>One image, tagged "latest".</summary>
    public static string WriteSingle(string root, params LayerBlob[] layers)
    {
        var writer = new OciLayoutWriter(root);
        writer.WriteIndex((writer.WriteImage(layers), "latest"));
        return $"oci:{root}:latest";
    }
}
