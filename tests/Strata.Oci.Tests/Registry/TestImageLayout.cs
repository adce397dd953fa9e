namespace Strata.Oci.Tests.Registry;

using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Strata.Oci.Model;
using Strata.Oci.Registry;

/// <summary>
/// A hand-written OCI layout with a single-platform image (tag "single": two layers, one of them 1.5 MiB so
/// blobs stream in many reads) and a two-platform index (tag "multi": linux/amd64 and linux/arm64/v8).
/// Every digest is computed here, so the tests know what the registry must give back.
/// </summary>
public sealed class TestImageLayout
{
    private readonly Dictionary<Digest, byte[]> blobs = [];

    private TestImageLayout(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public required ImageParts Amd64 { get; init; }

    public required ImageParts Arm64 { get; init; }

    public required Descriptor Index { get; init; }

    public required byte[] IndexBytes { get; init; }

    public byte[] Blob(Digest digest) => blobs[digest];

    public static TestImageLayout Write(string path)
    {
        var blobs = new Dictionary<Digest, byte[]>();
        Descriptor Add(string mediaType, byte[] bytes, Platform? platform = null)
        {
            var digest = Digest.Sha256Of(bytes);
            blobs[digest] = bytes;
            return new Descriptor { MediaType = mediaType, Digest = digest, Size = bytes.Length, Platform = platform };
        }

        ImageParts Image(string architecture, string? variant, byte[][] layerTars)
        {
            var layers = layerTars.Select(tar => Add("application/vnd.oci.image.layer.v1.tar+gzip", Gzip(tar))).ToList();
            var diffIds = string.Join(",", layerTars.Select(t => $"\"{Digest.Sha256Of(t)}\""));
            var variantJson = variant is null ? string.Empty : $",\"variant\":\"{variant}\"";
            var config = Add("application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes(
                $"{{\"architecture\":\"{architecture}\",\"os\":\"linux\"{variantJson},\"config\":{{\"Env\":[\"PATH=/bin\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}"));
            var manifestBytes = Encoding.UTF8.GetBytes(
                $"{{\"schemaVersion\":2,\"mediaType\":\"{ManifestMediaTypes.OciManifest}\",\"config\":{Json(config)},\"layers\":[{string.Join(",", layers.Select(Json))}]}}");
            var manifest = Add(ManifestMediaTypes.OciManifest, manifestBytes, new Platform("linux", architecture, variant));
            return new ImageParts(manifest, manifestBytes, config, layers);
        }

        var random = new Random(20240611);
        var noise = new byte[1536 * 1024];
        random.NextBytes(noise);
        var amd64 = Image("amd64", null, [Tar(("etc/platform", Encoding.UTF8.GetBytes("linux/amd64\n"))), Tar(("opt/noise.bin", noise))]);
        var arm64 = Image("arm64", "v8", [Tar(("etc/platform", Encoding.UTF8.GetBytes("linux/arm64/v8\n")))]);

        var indexBytes = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{ManifestMediaTypes.OciIndex}\",\"manifests\":[{Json(amd64.Manifest)},{Json(arm64.Manifest)}]}}");
        var index = Add(ManifestMediaTypes.OciIndex, indexBytes);

        Directory.CreateDirectory(System.IO.Path.Combine(path, "blobs", "sha256"));
        foreach (var (digest, bytes) in blobs)
        {
            File.WriteAllBytes(System.IO.Path.Combine(path, "blobs", "sha256", digest.Hex), bytes);
        }

        File.WriteAllText(System.IO.Path.Combine(path, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(System.IO.Path.Combine(path, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{Json(index, "multi")},{Json(amd64.Manifest with { Platform = null }, "single")}]}}");

        var layout = new TestImageLayout(path) { Amd64 = amd64, Arm64 = arm64, Index = index, IndexBytes = indexBytes };
        foreach (var (digest, bytes) in blobs)
        {
            layout.blobs[digest] = bytes;
        }

        return layout;
    }

    private static string Json(Descriptor descriptor) => Json(descriptor, null);

    private static string Json(Descriptor descriptor, string? refName)
    {
        var platform = descriptor.Platform is { } p
            ? $",\"platform\":{{\"architecture\":\"{p.Architecture}\",\"os\":\"{p.Os}\"{(p.Variant is null ? string.Empty : $",\"variant\":\"{p.Variant}\"")}}}"
            : string.Empty;
        var annotations = refName is null ? string.Empty : $",\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{refName}\"}}";
        return $"{{\"mediaType\":\"{descriptor.MediaType}\",\"digest\":\"{descriptor.Digest}\",\"size\":{descriptor.Size}{platform}{annotations}}}";
    }

    private static byte[] Tar(params (string Name, byte[] Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(content),
                    ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}

/// <summary>One platform's image: its manifest (descriptor and exact bytes), config and layers.</summary>
public sealed record ImageParts(Descriptor Manifest, byte[] ManifestBytes, Descriptor Config, IReadOnlyList<Descriptor> Layers);
