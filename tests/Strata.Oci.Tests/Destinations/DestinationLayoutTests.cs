namespace Strata.Oci.Tests.Destinations;

using System.Text;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Oci.Destinations;
using Strata.Oci.Model;
using Strata.Oci.Registry;
using Strata.Oci.Sources;
using Strata.Oci.Tests.Registry;
using Strata.Testing;

/// <summary>
/// An OCI image layout as a destination: images copied into it read back byte for byte (and by skopeo and umoci),
/// tags replace, blobs are verified before they land, and referrers are found through index.json.
/// </summary>
public sealed class DestinationLayoutTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-destination");
    private readonly TestImageLayout layout;

    public DestinationLayoutTests()
    {
        layout = TestImageLayout.Write(temp.Combine("source"));
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_copied_index_reads_back_byte_identical_and_skopeo_and_umoci_read_the_layout()
    {
        var target = temp.Combine("out");
        await using (var destination = (OciLayoutDestination)ImageDestinations.Open($"oci:{target}:v1", new RegistryOptions()))
        {
            Assert.Equal("v1", destination.Tag);
            await using var source = OciLayoutSource.OpenDirectory("source", layout.Path, "multi", null);
            var top = await ImageCopier.CopyAsync(source, destination, destination.Tag, CancellationToken.None);
            Assert.Equal(layout.Index.Digest, top.Digest);

            await using var single = OciLayoutSource.OpenDirectory("source", layout.Path, "single", null);
            await ImageCopier.CopyAsync(single, destination, "single", CancellationToken.None);

            var stored = await destination.GetManifestAsync("v1", CancellationToken.None);
            Assert.NotNull(stored);
            Assert.Equal(layout.IndexBytes, stored.Bytes);
            Assert.Equal(MediaTypes.OciIndex, stored.MediaType);
            Assert.Equal(["single", "v1"], await destination.ListTagsAsync(CancellationToken.None));
        }

        foreach (var image in new[] { layout.Amd64, layout.Arm64 })
        {
            foreach (var blob in image.Layers.Append(image.Config).Append(image.Manifest))
            {
                Assert.Equal(layout.Blob(blob.Digest), await File.ReadAllBytesAsync(Path.Combine(target, "blobs", "sha256", blob.Digest.Hex)));
            }
        }

        Assert.Empty(Directory.EnumerateFiles(target, "*.tmp", SearchOption.AllDirectories));
        var raw = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--raw", $"oci:{target}:v1");
        Assert.Equal(Encoding.UTF8.GetString(layout.IndexBytes), raw.TrimEnd('\n'));
        var digest = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--format", "{{.Digest}}", $"oci:{target}:single");
        Assert.Equal(layout.Amd64.Manifest.Digest.ToString(), digest.Trim());
        var stat = await ExternalTool.RunCheckedAsync("umoci", "stat", "--image", $"{target}:single", "--json");
        Assert.Contains("history", stat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_written_again_replaces_the_old_entry_and_manifests_come_back_by_digest()
    {
        var target = temp.Combine("tags");
        await using var destination = new OciLayoutDestination(target);
        Assert.Null(await destination.GetManifestAsync("t", CancellationToken.None));
        Assert.Empty(await destination.ListTagsAsync(CancellationToken.None));

        var first = await PutSmallImageAsync(destination, "first", "t");
        var second = await PutSmallImageAsync(destination, "second", "t");
        Assert.NotEqual(first.Digest, second.Digest);

        var index = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(target, "index.json")))!;
        var entries = index["manifests"]!.AsArray();
        var entry = Assert.Single(entries);
        Assert.Equal(second.Digest.ToString(), entry!["digest"]!.GetValue<string>());
        Assert.Equal("t", entry["annotations"]![OciLayoutSource.RefNameAnnotation]!.GetValue<string>());
        Assert.Equal("1.0.0", JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(target, "oci-layout")))!["imageLayoutVersion"]!.GetValue<string>());

        Assert.Equal(second.Digest, (await destination.GetManifestAsync("t", CancellationToken.None))!.Digest);
        var byDigest = await destination.GetManifestAsync(first.Digest.ToString(), CancellationToken.None);
        Assert.NotNull(byDigest);
        Assert.Equal(first.Digest, byDigest.Digest);
        Assert.Equal(MediaTypes.OciManifest, byDigest.MediaType);
        Assert.Null(await destination.GetManifestAsync(Digest.Sha256Of("absent"u8).ToString(), CancellationToken.None));
        Assert.Null(await destination.GetManifestAsync("other", CancellationToken.None));
        Assert.Equal(["t"], await destination.ListTagsAsync(CancellationToken.None));

        var raw = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--format", "{{.Digest}}", $"oci:{target}:t");
        Assert.Equal(second.Digest.ToString(), raw.Trim());
    }

    [Fact]
    public async Task A_blob_that_does_not_match_its_descriptor_is_refused_and_leaves_nothing()
    {
        var target = temp.Combine("mismatch");
        await using var destination = new OciLayoutDestination(target);
        var claimed = Descriptor("application/octet-stream", "the bytes the descriptor names"u8.ToArray());

        using (var wrong = new MemoryStream("other bytes, same length......"u8.ToArray()))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(claimed, wrong, CancellationToken.None));
            Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
            Assert.Contains(claimed.Digest.ToString(), error.Message, StringComparison.Ordinal);
        }

        using (var longer = new MemoryStream("the bytes the descriptor names, and more"u8.ToArray()))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(claimed, longer, CancellationToken.None));
            Assert.Contains($"more than the {claimed.Size} bytes", error.Message, StringComparison.Ordinal);
        }

        Assert.False(await destination.BlobExistsAsync(claimed.Digest, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(target, "blobs"), "*", SearchOption.AllDirectories));

        var missing = await Assert.ThrowsAsync<StrataException>(() => destination.OpenBlobAsync(claimed, CancellationToken.None));
        Assert.Contains($"blob {claimed.Digest}", missing.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_with_a_subject_are_listed_as_referrers_through_index_json()
    {
        var target = temp.Combine("referrers");
        await using var destination = new OciLayoutDestination(target);
        var image = await PutSmallImageAsync(destination, "subject", "latest");
        Assert.Empty((await destination.ListReferrersAsync(image.Digest, null, CancellationToken.None)).Referrers);

        var referrer = await PutReferrerAsync(destination, image, "application/vnd.example.sbom");
        await PutReferrerAsync(destination, image, "application/vnd.example.other");

        var all = await destination.ListReferrersAsync(image.Digest, null, CancellationToken.None);
        Assert.True(all.Supported);
        Assert.Equal(2, all.Referrers.Count);
        var filtered = await destination.ListReferrersAsync(image.Digest, "application/vnd.example.sbom", CancellationToken.None);
        var only = Assert.Single(filtered.Referrers);
        Assert.Equal(referrer.Digest, only.Descriptor.Digest);
        Assert.Equal("application/vnd.example.sbom", only.ArtifactType);
        Assert.Equal("yes", only.Descriptor.Annotations["org.example.signed"]);

        // The tagged image is still what the tag names; the referrers are untagged entries.
        Assert.Equal(["latest"], await destination.ListTagsAsync(CancellationToken.None));
        var raw = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--format", "{{.Digest}}", $"oci:{target}:latest");
        Assert.Equal(image.Digest.ToString(), raw.Trim());
    }

    [Fact]
    public async Task An_image_stored_in_one_layout_copies_into_another()
    {
        await using var first = new OciLayoutDestination(temp.Combine("first"));
        await using (var source = OciLayoutSource.OpenDirectory("source", layout.Path, "multi", null))
        {
            await ImageCopier.CopyAsync(source, first, "m", CancellationToken.None);
        }

        await using var second = new OciLayoutDestination(temp.Combine("second"));
        var copied = await ImageCopier.CopyAsync(first, "m", second, "again", CancellationToken.None);
        Assert.Equal(layout.Index.Digest, copied.Digest);
        Assert.True(await second.BlobExistsAsync(layout.Arm64.Layers[0].Digest, CancellationToken.None));
    }

    [Theory]
    [InlineData("oci:")]
    [InlineData("oci::tag")]
    [InlineData("oci:/tmp/x:bad tag")]
    [InlineData("dir:/tmp/x")]
    [InlineData("docker://host.example/Upper")]
    public void Bad_destination_references_are_usage_errors(string reference)
    {
        var error = Assert.Throws<StrataException>(() => ImageDestinations.Open(reference, new RegistryOptions()));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
    }

    internal static Descriptor Descriptor(string mediaType, byte[] bytes) => new() { MediaType = mediaType, Digest = Digest.Sha256Of(bytes), Size = bytes.Length };

    /// <summary>A tiny image (a config and one layer) whose content depends on <paramref name="seed"/>, stored under <paramref name="tag"/>.</summary>
    internal static async Task<Descriptor> PutSmallImageAsync(IImageDestination destination, string seed, string? tag)
    {
        var configBytes = Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[]}},\"history\":[{{\"comment\":\"{seed}\"}}]}}");
        var config = Descriptor(MediaTypes.OciConfig, configBytes);
        var layerBytes = Encoding.UTF8.GetBytes($"layer of {seed}");
        var layer = Descriptor(MediaTypes.OciLayer, layerBytes);
        await destination.PutBlobAsync(config, new MemoryStream(configBytes), CancellationToken.None);
        await destination.PutBlobAsync(layer, new MemoryStream(layerBytes), CancellationToken.None);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{Json(config)},\"layers\":[{Json(layer)}]}}");
        return await destination.PutManifestAsync(manifest, MediaTypes.OciManifest, tag, CancellationToken.None);
    }

    internal static async Task<Descriptor> PutReferrerAsync(IImageDestination destination, Descriptor subject, string artifactType)
    {
        var empty = Descriptor("application/vnd.oci.empty.v1+json", "{}"u8.ToArray());
        await destination.PutBlobAsync(empty, new MemoryStream("{}"u8.ToArray()), CancellationToken.None);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"artifactType\":\"{artifactType}\",\"config\":{Json(empty)},\"layers\":[{Json(empty)}],\"subject\":{Json(subject)},\"annotations\":{{\"org.example.signed\":\"yes\"}}}}");
        return await destination.PutManifestAsync(manifest, MediaTypes.OciManifest, null, CancellationToken.None);
    }

    internal static string Json(Descriptor descriptor) =>
        $"{{\"mediaType\":\"{descriptor.MediaType}\",\"digest\":\"{descriptor.Digest}\",\"size\":{descriptor.Size}}}";
}
