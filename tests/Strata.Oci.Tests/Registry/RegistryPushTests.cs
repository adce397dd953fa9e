namespace Strata.Oci.Tests.Registry;

using System.Text;
using Strata.Core;
using Strata.Oci.Destinations;
using Strata.Oci.Model;
using Strata.Oci.Registry;
using Strata.Oci.Sources;
using Strata.Testing;
using static Strata.Oci.Tests.Destinations.DestinationLayoutTests;
using static Strata.Oci.Tests.Registry.RegistryPullTests;

/// <summary>
/// Pushing to a real docker-registry: what Strata writes, skopeo reads back with the same digests; tags replace;
/// blobs mount across repositories; an upload that does not match its digest is refused and leaves no blob.
/// </summary>
[Collection(SharedRegistries.Name)]
public sealed class RegistryPushTests(RegistryFixture registries)
{
    private static readonly RegistryCredential Good = new(RegistryFixture.User, RegistryFixture.Password, "test");

    [Theory]
    [InlineData("anonymous")]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task A_pushed_index_is_what_skopeo_reads_back_and_copies_with_the_same_digests(string mode)
    {
        var (server, options) = mode switch
        {
            "anonymous" => (registries.Open, Isolated()),
            "basic" => (registries.Basic, Isolated() with { Credentials = Good }),
            _ => (registries.Token, Isolated() with { Credentials = Good }),
        };
        var repository = $"push/{mode}";
        await using (var destination = ImageDestinations.Open($"docker://{server.HostPort}/{repository}:v1", options))
        {
            await using var source = OciLayoutSource.OpenDirectory("source", registries.Layout.Path, "multi", null);
            var top = await ImageCopier.CopyAsync(source, destination, destination.Tag, CancellationToken.None);
            Assert.Equal(registries.Layout.Index.Digest, top.Digest);
            Assert.Contains("v1", await destination.ListTagsAsync(CancellationToken.None));
        }

        // All three registries share one storage: the open one lets skopeo read without credentials.
        Assert.Equal(Encoding.UTF8.GetString(registries.Layout.IndexBytes), (await registries.SkopeoRawAsync($"{repository}:v1")).TrimEnd('\n'));
        using var copy = new TempDirectory("strata-push-copy");
        await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "copy", "--quiet", "--all", "--preserve-digests", "--src-tls-verify=false",
            $"docker://{registries.Open.HostPort}/{repository}:v1", $"oci:{copy.Path}:back");
        var digest = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--raw", $"oci:{copy.Path}:back");
        Assert.Equal(registries.Layout.Index.Digest, Digest.Sha256Of(Encoding.UTF8.GetBytes(digest.TrimEnd('\n'))));
        foreach (var layer in registries.Layout.Amd64.Layers)
        {
            Assert.Equal(registries.Layout.Blob(layer.Digest), await File.ReadAllBytesAsync(Path.Combine(copy.Path, "blobs", "sha256", layer.Digest.Hex)));
        }
    }

    [Fact]
    public async Task Tags_replace_manifests_come_back_by_digest_and_absent_ones_are_null()
    {
        await using var destination = ImageDestinations.Open($"docker://{registries.Open.HostPort}/push/tags", Isolated());
        Assert.Null(await destination.GetManifestAsync("t", CancellationToken.None));
        Assert.Empty(await destination.ListTagsAsync(CancellationToken.None));

        var first = await PutSmallImageAsync(destination, "first", "t");
        var second = await PutSmallImageAsync(destination, "second", "t");
        Assert.Equal(second.Digest, (await destination.GetManifestAsync("t", CancellationToken.None))!.Digest);
        var byDigest = await destination.GetManifestAsync(first.Digest.ToString(), CancellationToken.None);
        Assert.Equal((first.Digest, MediaTypes.OciManifest), (byDigest!.Digest, byDigest.MediaType));
        Assert.Null(await destination.GetManifestAsync(Digest.Sha256Of("absent"u8).ToString(), CancellationToken.None));

        // A signature tag as cosign names it, appended to: absent first, then there.
        var signatureTag = $"sha256-{second.Digest.Hex}.sig";
        Assert.Null(await destination.GetManifestAsync(signatureTag, CancellationToken.None));
        await PutSmallImageAsync(destination, "signature", signatureTag);
        Assert.NotNull(await destination.GetManifestAsync(signatureTag, CancellationToken.None));

        var skopeo = await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{registries.Open.HostPort}/push/tags:t");
        Assert.Equal(second.Digest.ToString(), skopeo.Trim());
    }

    [Fact]
    public async Task Tag_lists_follow_link_pages()
    {
        var reference = ImageReference.Parse($"{registries.Open.HostPort}/push/pages");
        await using (var destination = new RegistryDestination(reference, Isolated()))
        {
            await PutSmallImageAsync(destination, "paged", "a");
            var manifest = (await destination.GetManifestAsync("a", CancellationToken.None))!;
            foreach (var tag in new[] { "b", "c", "d", "e" })
            {
                await destination.PutManifestAsync(manifest.Bytes, manifest.MediaType, tag, CancellationToken.None);
            }
        }

        using var client = new RegistryClient(Isolated());
        Assert.Equal(["a", "b", "c", "d", "e"], await client.ListTagsAsync(reference, pageSize: 2, CancellationToken.None));
    }

    [Fact]
    public async Task Blobs_mount_from_another_repository_of_the_registry()
    {
        var options = Isolated();
        await using var from = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/mount-from"), options);
        var image = await PutSmallImageAsync(from, "mounted", "v1");
        await using var to = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/mount-to"), options);
        var config = (await from.GetManifestAsync("v1", CancellationToken.None))!;
        var manifest = ImageManifest.Parse(config.Bytes, config.MediaType, "test");
        Assert.False(await to.BlobExistsAsync(manifest.Layers[0].Digest, CancellationToken.None));
        Assert.True(await to.TryMountBlobAsync(manifest.Layers[0].Digest, "push/mount-from", CancellationToken.None));
        Assert.True(await to.BlobExistsAsync(manifest.Layers[0].Digest, CancellationToken.None));
        Assert.False(await to.TryMountBlobAsync(Digest.Sha256Of("never pushed"u8), "push/mount-from", CancellationToken.None));

        await using var source = new RegistryImageSource(ImageReference.Parse($"{registries.Open.HostPort}/push/mount-from:v1"), options);
        var copied = await ImageCopier.CopyAsync(source, to, "v1", CancellationToken.None);
        Assert.Equal(image.Digest, copied.Digest);
    }

    [Fact]
    public async Task An_upload_that_does_not_match_its_digest_is_refused_and_leaves_no_blob()
    {
        await using var destination = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/mismatch"), Isolated());
        var claimed = Descriptor("application/octet-stream", "the bytes the descriptor names"u8.ToArray());
        var actual = "other bytes, same length......"u8.ToArray();

        // Not seekable: sent once, hashed while it goes.
        await using (var wrong = new OneWayStream(actual))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(claimed, wrong, CancellationToken.None));
            Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
            Assert.Contains(claimed.Digest.ToString(), error.Message, StringComparison.Ordinal);
            Assert.Contains($"{registries.Open.HostPort}/push/mismatch", error.Message, StringComparison.Ordinal);
        }

        using (var longer = new MemoryStream([.. actual, .. actual]))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(claimed, longer, CancellationToken.None));
            Assert.Contains($"more than the {claimed.Size} bytes", error.Message, StringComparison.Ordinal);
        }

        Assert.False(await destination.BlobExistsAsync(claimed.Digest, CancellationToken.None));
        Assert.False(await destination.BlobExistsAsync(Digest.Sha256Of(actual), CancellationToken.None));
    }

    [Fact]
    public async Task A_large_stream_that_cannot_seek_goes_in_chunks_and_is_still_verified()
    {
        using var client = new RegistryClient(Isolated()) { UploadChunkBytes = 256 * 1024 };
        await using var destination = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/chunked"), client);
        var layer = registries.Layout.Amd64.Layers.MaxBy(l => l.Size)!;
        var bytes = registries.Layout.Blob(layer.Digest);
        Assert.True(bytes.Length > 4 * client.UploadChunkBytes);

        await using (var stream = new OneWayStream(bytes))
        {
            await destination.PutBlobAsync(layer, stream, CancellationToken.None);
        }

        Assert.True(await destination.BlobExistsAsync(layer.Digest, CancellationToken.None));
        await using (var back = await client.OpenVerifiedBlobAsync(destination.ImageReference, layer, CancellationToken.None))
        {
            await back.DrainAsync(CancellationToken.None);
        }

        var wrong = bytes.ToArray();
        wrong[^1] ^= 0xff;
        var claimed = layer with { Digest = Digest.Sha256Of(wrong.AsSpan(0, wrong.Length - 1)) };
        await using (var stream = new OneWayStream(wrong))
        {
            var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutBlobAsync(claimed, stream, CancellationToken.None));
            Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
        }

        Assert.False(await destination.BlobExistsAsync(claimed.Digest, CancellationToken.None));
        Assert.False(await destination.BlobExistsAsync(Digest.Sha256Of(wrong), CancellationToken.None));
    }

    [Fact]
    public async Task A_manifest_whose_blobs_are_missing_is_refused_naming_registry_and_repository()
    {
        await using var destination = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/missing"), Isolated());
        var absent = Descriptor(MediaTypes.OciLayer, "never uploaded"u8.ToArray());
        var manifest = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{Json(absent with { MediaType = MediaTypes.OciConfig })},\"layers\":[{Json(absent)}]}}");
        var error = await Assert.ThrowsAsync<StrataException>(() => destination.PutManifestAsync(manifest, MediaTypes.OciManifest, "broken", CancellationToken.None));
        Assert.Contains($"{registries.Open.HostPort}/push/missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 400", error.Message, StringComparison.Ordinal);

        var blob = await Assert.ThrowsAsync<StrataException>(() => destination.OpenBlobAsync(absent, CancellationToken.None));
        Assert.Contains(absent.Digest.ToString(), blob.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distribution_2_8_has_no_referrers_api_and_says_so()
    {
        await using var destination = new RegistryDestination(ImageReference.Parse($"{registries.Open.HostPort}/push/referrers"), Isolated());
        var image = await PutSmallImageAsync(destination, "referred", "v1");
        var referrers = await destination.ListReferrersAsync(image.Digest, null, CancellationToken.None);
        Assert.False(referrers.Supported);
        Assert.Empty(referrers.Referrers);
    }

    /// <summary>A stream that cannot seek, as a blob streamed from another registry.</summary>
    private sealed class OneWayStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
