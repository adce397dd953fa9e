namespace Strata.Signing.Tests;

using System.Formats.Tar;
using System.Text;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Model;

/// <summary>Small real images (one tar layer, an OCI config and manifest) written through a destination.</summary>
internal static class CosignTestImages
{
    /// <summary>Writes an image whose one file holds <paramref name="content"/>; returns its manifest digest.</summary>
    public static async Task<Digest> WriteAsync(IImageDestination store, string? tag, string content)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
            await writer.WriteEntryAsync(entry);
        }

        var layer = tar.ToArray();
        var layerDigest = Digest.Sha256Of(layer);
        var config = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{layerDigest}\"]}}}}");
        var configDigest = Digest.Sha256Of(config);
        await PutAsync(store, MediaTypes.OciLayer, layer);
        await PutAsync(store, MediaTypes.OciConfig, config);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}},"
            + $"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayer}\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
        var stored = await store.PutManifestAsync(manifest, MediaTypes.OciManifest, tag, CancellationToken.None);
        return stored.Digest;
    }

    private static async Task PutAsync(IImageDestination store, string mediaType, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        await store.PutBlobAsync(new Descriptor { MediaType = mediaType, Digest = Digest.Sha256Of(bytes), Size = bytes.Length }, content, CancellationToken.None);
    }
}
