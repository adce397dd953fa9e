namespace Strata.Oci.Tests;

using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Layers;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Oci.Tests.Support;
using Strata.Testing;

[Collection(BuiltImageFixtureGroup.Name)]
public sealed class LocalFormatsTests(BuiltImageFixture fixture)
{
    public static TheoryData<string> Formats => ["oci", "oci-zstd", "oci-archive", "docker-archive", "dir"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Extraction_matches_umoci_for_every_local_format(string format)
    {
        using var target = new TempDirectory("strata-extract");
        var output = Path.Combine(target.Path, "rootfs");
        await using var image = await OpenAsync(format);
        var report = await ImageExtractor.ExtractAsync(image, output, null, CancellationToken.None);

        var diff = TreeSnapshot.Diff(TreeSnapshot.Take(fixture.UmociRootfs), TreeSnapshot.Take(output));
        Assert.True(diff.Length == 0, $"{format}: extracted tree differs from umoci's:\n{diff}");
        Assert.True(report.Files > 5 && report.Symlinks == 2 && report.HardLinks >= 1, report.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(output, "bin", "h1")), File.ReadAllText(Path.Combine(output, "bin", "h2")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(output, ".strata-tmp-*"));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Every_format_resolves_to_the_same_layers_and_config(string format)
    {
        await using var image = await OpenAsync(format);
        await using var reference = await OpenAsync("oci");
        Assert.Equal(5, image.Layers.Count);
        Assert.Equal(reference.Image.Manifest.Config.Digest, image.Image.Manifest.Config.Digest);
        for (var i = 0; i < image.Layers.Count; i++)
        {
            Assert.Equal(reference.Layers[i].DiffId, image.Layers[i].DiffId);
            Assert.Equal(reference.Layers[i].CreatedBy, image.Layers[i].CreatedBy);
        }

        Assert.Equal("linux", image.Image.Config.Os);
        Assert.Equal(format == "oci-zstd" ? LayerCompression.Zstd : format is "docker-archive" ? LayerCompression.None : LayerCompression.Gzip, image.Layers[0].Compression);
    }

    [Fact]
    public async Task Inspect_summarises_layers_and_wasted_bytes()
    {
        await using var image = await OpenAsync("oci");
        var summary = await ImageInspector.InspectAsync(image.Image, CancellationToken.None);

        Assert.Equal(5, summary.Layers.Count);
        Assert.Contains("rm /etc/token.txt", summary.Layers[2].CreatedBy, StringComparison.Ordinal);
        Assert.True(summary.Layers[2].FilesDeleted >= 3, $"layer 2 deletes token.txt, opaque/old1, opaque/old2: {summary.Layers[2]}");
        Assert.True(summary.Layers[3].FilesModified >= 2, $"layer 3 rewrites app.conf and big.bin: {summary.Layers[3]}");

        // Overwritten or deleted later: token.txt (secret + newline), opaque/old1+old2 (4), app.conf v1 (3),
        // big.bin (65536), opaque/new (4, hidden by the opaque dir), usr/share/doc/readme (4), and bin/tool is kept.
        Assert.Equal(BuiltImageFixture.Secret.Length + 1 + 4 + 3 + 65536 + 4 + 4, summary.WastedBytes);
    }

    [Fact]
    public async Task Deleted_file_stays_reachable_with_its_layer_and_build_step()
    {
        await using var image = await OpenAsync("oci");
        var fileSystem = await LayeredFileSystem.BuildAsync(image.Image, CancellationToken.None);

        var token = fileSystem.Find("etc/token.txt");
        Assert.NotNull(token);
        Assert.False(token.Exists);
        Assert.Equal(1, token.AddedIn);
        Assert.Equal([2], token.DeletedIn);
        Assert.Contains("COPY", token.Versions[0].CreatedBy, StringComparison.Ordinal);
        Assert.Contains("rm /etc/token.txt", token.Versions[1].CreatedBy, StringComparison.Ordinal);

        using var content = new MemoryStream();
        Assert.True(await ImageInspector.CopyFileFromLayerAsync(image.Image, token.AddedIn, token.Path, content, CancellationToken.None));
        Assert.Equal(BuiltImageFixture.Secret + "\n", System.Text.Encoding.UTF8.GetString(content.ToArray()));

        var listing = ImageInspector.ListFiles(fileSystem, includeDeleted: true);
        Assert.Contains(listing, f => f.Path == "etc/token.txt" && !f.Exists && f.DeletedInLayers.Contains(2));
        Assert.DoesNotContain(ImageInspector.ListFiles(fileSystem), f => f.Path == "etc/token.txt");

        // Opaque directory: lower content hidden, the layer's own file kept; deleted directory's children gone.
        Assert.False(fileSystem.Find("opaque/new")!.Exists);
        Assert.True(fileSystem.Find("opaque/fresh")!.Exists);
        Assert.False(fileSystem.Find("usr/share/doc/readme")!.Exists);
        Assert.Equal(EntryType.File, fileSystem.Current("srv/g")!.Type);
        var tool = fileSystem.Current("bin/tool")!;
        Assert.True(tool.IsSetuid, tool.ToString());
        Assert.Equal("-rwsr-xr-x", tool.ModeString);
        Assert.Equal(EntryType.HardLink, fileSystem.Current("bin/x2")!.Type);
        Assert.Equal([3], fileSystem.Find("etc/app.conf")!.ModifiedIn);

        var layer4 = ImageInspector.ListFiles(fileSystem, layerIndex: 4, includeDeleted: true);
        Assert.Contains(layer4, f => f.Path == "opaque/fresh");
        Assert.DoesNotContain(layer4, f => f.Path == "bin/busybox");
    }

    [Fact]
    public async Task Walker_hands_every_interested_visitor_the_same_content_once_per_layer()
    {
        await using var image = await OpenAsync("oci-archive", new ImageOpenOptions { Limits = new Core.Limits { MaxBufferedFileBytes = 4096 } });
        var first = new HashingVisitor();
        var second = new HashingVisitor();
        await ImageWalker.WalkAsync(image.Image, [first, second], CancellationToken.None);

        Assert.Equal(first.Hashes.Count, second.Hashes.Count);
        Assert.True(first.Hashes.Count > 5);
        foreach (var (key, hash) in first.Hashes)
        {
            Assert.Equal(hash, second.Hashes[key]);
        }

        // busybox (about 2 MB) exceeds the 4 KiB buffer and went through the spill file; its hash must still be right.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes("/bin/busybox"))), first.Hashes["0:bin/busybox"]);
    }

    [Fact]
    public async Task Oci_layout_by_digest_and_unknown_tag()
    {
        var layout = Path.Combine(fixture.Directory, "oci");
        await using var byTag = await OpenAsync("oci");
        await using var byDigest = new OpenImage(await ImageResolver.OpenAsync($"oci:{layout}@{byTag.Image.ManifestDigest}", ImageOpenOptions.Default, CancellationToken.None));
        Assert.Equal(byTag.Image.ManifestDigest, byDigest.Image.ManifestDigest);

        var error = await Assert.ThrowsAsync<Core.StrataException>(() => ImageResolver.OpenAsync($"oci:{layout}:nope", ImageOpenOptions.Default, CancellationToken.None));
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("latest", error.Message, StringComparison.Ordinal);

        var archive = Path.Combine(fixture.Directory, "image.docker.tar");
        error = await Assert.ThrowsAsync<Core.StrataException>(() => ImageResolver.OpenAsync($"docker-archive:{archive}:other:tag", ImageOpenOptions.Default, CancellationToken.None));
        Assert.Contains(BuiltImageFixture.Tag, error.Message, StringComparison.Ordinal);
    }

    private async Task<OpenImage> OpenAsync(string format, ImageOpenOptions? options = null) =>
        new(await ImageResolver.OpenAsync(fixture.References[format], options ?? ImageOpenOptions.Default, CancellationToken.None));

    private sealed class HashingVisitor : IImageEntryVisitor
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, string> Hashes { get; } = new();

        public ILayerEntryVisitor BeginLayer(ImageLayer layer) => new Layer(this, layer.Index);

        private sealed class Layer(HashingVisitor owner, int index) : ILayerEntryVisitor
        {
            public bool WantsContent(LayerEntry entry) => true;

            public async ValueTask VisitAsync(LayerEntry entry, Stream? content, CancellationToken cancellationToken)
            {
                if (content is not null)
                {
                    owner.Hashes[$"{index}:{entry.Path}"] = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(content, cancellationToken));
                }
            }

            public ValueTask EndLayerAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
        }
    }
}

/// <summary>A resolved image that disposes its source.</summary>
internal sealed class OpenImage(ResolvedImage image) : IAsyncDisposable
{
    public ResolvedImage Image => image;

    public IReadOnlyList<ImageLayer> Layers => image.Layers;

    public static implicit operator ResolvedImage(OpenImage open) => open.Image;

    public ValueTask DisposeAsync() => image.Source.DisposeAsync();
}
