namespace Strata.Oci.Tests;

using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Oci.Tests.Support;
using Strata.Testing;

/// <summary>Hand-crafted bad images: each protection has a test that fails without it, and each error names what is at fault.</summary>
public sealed class HostileImageTests : IDisposable
{
    private readonly TempDirectory temp = new("strata-hostile");

    public void Dispose() => temp.Dispose();

    private string Layout => temp.Combine("layout");

    private string Target => temp.Combine("out", "rootfs");

    private static LayerBlob SimpleLayer() => OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/hello", "hello\n")));

    private static async Task<ResolvedImage> OpenAsync(string reference, ImageOpenOptions? options = null) =>
        await ImageResolver.OpenAsync(reference, options ?? ImageOpenOptions.Default, CancellationToken.None);

    private async Task<StrataException> ExtractFailsAsync(string reference, ImageOpenOptions? options = null)
    {
        var error = await Assert.ThrowsAsync<StrataException>(async () =>
        {
            var image = await OpenAsync(reference, options);
            await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        });
        if (Directory.Exists(Target))
        {
            Assert.Empty(Directory.EnumerateFileSystemEntries(Target));
        }

        return error;
    }

    [Fact]
    public async Task Truncated_layer_blob_is_an_error_naming_the_blob()
    {
        var layer = SimpleLayer();
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);
        var path = new OciLayoutWriter(Layout).BlobPath(layer.Digest);
        File.WriteAllBytes(path, layer.Blob[..(layer.Blob.Length / 2)]);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_layer_blob_is_a_digest_mismatch()
    {
        var layer = OciLayoutWriter.Plain(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/hello", "hello\n")));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);
        var path = new OciLayoutWriter(Layout).BlobPath(layer.Digest);
        var changed = (byte[])layer.Blob.Clone();
        changed[600] ^= 0x20; // inside the file content: the tar still parses
        File.WriteAllBytes(path, changed);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_diff_id_is_an_error_naming_the_layer()
    {
        var layer = SimpleLayer();
        var config = OciLayoutWriter.Config([layer]);
        config["rootfs"]!["diff_ids"]![0] = OciLayoutWriter.DigestOf("something else"u8.ToArray());
        var writer = new OciLayoutWriter(Layout);
        writer.WriteIndex((writer.WriteImage([layer], config), "latest"));

        var error = await Assert.ThrowsAsync<StrataException>(async () =>
            await LayeredFileSystem.BuildAsync(await OpenAsync($"oci:{Layout}:latest"), CancellationToken.None));
        Assert.Contains("diffID", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_pointing_to_a_missing_blob_names_it()
    {
        var layer = SimpleLayer();
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);
        File.Delete(new OciLayoutWriter(Layout).BlobPath(layer.Digest));

        var error = await ExtractFailsAsync(reference);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_config_or_manifest_is_a_digest_mismatch()
    {
        var writer = new OciLayoutWriter(Layout);
        var manifest = writer.WriteImage([SimpleLayer()]);
        writer.WriteIndex((manifest, "latest"));
        var manifestPath = writer.BlobPath((string)manifest["digest"]!);
        var original = File.ReadAllBytes(manifestPath);
        var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("\"schemaVersion\":2", "\"schemaVersion\":2 ", StringComparison.Ordinal));
        File.WriteAllBytes(manifestPath, edited[..original.Length]);
        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"oci:{Layout}:latest"));
        Assert.Contains((string)manifest["digest"]!, error.Message, StringComparison.Ordinal);
        Assert.Contains("mismatch", error.Message, StringComparison.Ordinal);

        File.WriteAllBytes(manifestPath, original);
        var configDigest = (string)JsonNode.Parse(original)!["config"]!["digest"]!;
        var configPath = writer.BlobPath(configDigest);
        var config = File.ReadAllBytes(configPath);
        config[^2] ^= 1;
        File.WriteAllBytes(configPath, config);
        error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"oci:{Layout}:latest"));
        Assert.Contains(configDigest, error.Message, StringComparison.Ordinal);
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index")]
    [InlineData("manifest")]
    [InlineData("config")]
    public async Task Malformed_json_names_the_document_and_line(string which)
    {
        var writer = new OciLayoutWriter(Layout);
        var layer = SimpleLayer();
        JsonObject descriptor;
        var broken = "{\"schemaVersion\": 2,\n \"oops\" }"u8.ToArray();
        string expected;
        switch (which)
        {
            case "index":
                descriptor = writer.WriteImage([layer]);
                writer.WriteIndex((descriptor, "latest"));
                File.WriteAllBytes(Path.Combine(Layout, "index.json"), broken);
                expected = "index.json";
                break;
            case "manifest":
                descriptor = writer.Describe(broken, "application/vnd.oci.image.manifest.v1+json");
                writer.WriteIndex((descriptor, "latest"));
                expected = (string)descriptor["digest"]!;
                break;
            default:
                var configDescriptor = writer.Describe(broken, "application/vnd.oci.image.config.v1+json");
                descriptor = writer.WriteImage([layer], editManifest: m =>
                {
                    m["config"] = configDescriptor;
                    return m;
                });
                writer.WriteIndex((descriptor, "latest"));
                expected = (string)configDescriptor["digest"]!;
                break;
        }

        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"oci:{Layout}:latest"));
        Assert.Contains("malformed JSON at line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_layer_media_type_is_an_error()
    {
        const string mediaType = "application/vnd.example.unknown.layer";
        var layer = SimpleLayer() with { MediaType = mediaType };
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync(reference));
        Assert.Contains("unknown layer media type", error.Message, StringComparison.Ordinal);
        Assert.Contains(mediaType, error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypted_layer_without_a_key_resolves_unreadable_and_extraction_says_so()
    {
        const string mediaType = "application/vnd.oci.image.layer.v1.tar+gzip+encrypted";
        var layer = SimpleLayer() with { MediaType = mediaType };
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var image = await OpenAsync(reference);
        Assert.True(image.Layers[0].Encrypted);
        Assert.False(image.Layers[0].Readable);
        Assert.Equal(LayerCompression.Gzip, image.Layers[0].Compression);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains("is encrypted", error.Message, StringComparison.Ordinal);
        Assert.Contains("--decryption-key", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dot_dot_entry_is_an_error_and_nothing_is_written_outside()
    {
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "ok", "fine");
            OciLayoutWriter.AddFile(w, "a/../../../escaped", "pwned");
        }));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains("a/../../../escaped", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(temp.Path, "escaped", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(temp.Path)!, "escaped")));
    }

    [Fact]
    public async Task Absolute_entry_is_kept_inside_the_root()
    {
        var outside = temp.Combine("outside-abs");
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, outside + "/file", "inside after all")));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var image = await OpenAsync(reference);
        await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        Assert.False(Directory.Exists(outside));
        Assert.Equal("inside after all", File.ReadAllText(Path.Combine(Target, outside.TrimStart('/'), "file")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Writing_through_a_symlink_to_outside_stays_inside_the_root(bool sameLayer)
    {
        // The symlink is followed as umoci does, but inside the root: its absolute target is re-rooted, never the host's.
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var link = OciLayoutWriter.Tar(w => OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "evil", outside));
        var write = OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "evil/pwned", "pwned");
            OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "climb", "../../../../../../..");
            OciLayoutWriter.AddFile(w, "climb/escaped", "pwned");
        });
        var both = OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "evil", outside);
            OciLayoutWriter.AddFile(w, "evil/pwned", "pwned");
            OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "climb", "../../../../../../..");
            OciLayoutWriter.AddFile(w, "climb/escaped", "pwned");
        });
        var reference = sameLayer
            ? OciLayoutWriter.WriteSingle(Layout, OciLayoutWriter.Gzip(both))
            : OciLayoutWriter.WriteSingle(Layout, OciLayoutWriter.Gzip(link), OciLayoutWriter.Gzip(write));

        var image = await OpenAsync(reference);
        await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(Target)!, "escaped"));
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(Target, outside.TrimStart('/'), "pwned")));
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(Target, "escaped")));
        Assert.Equal(outside, new FileInfo(Path.Combine(Target, "evil")).LinkTarget);

        var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
        Assert.NotNull(fileSystem.Current(outside.TrimStart('/') + "/pwned"));
        Assert.NotNull(fileSystem.Current("escaped"));
        Assert.Null(fileSystem.Find("evil/pwned"));
    }

    [Theory]
    [InlineData("../../../../etc/passwd", "climbs above")]
    [InlineData("does/not/exist", "does not exist")]
    public async Task Hard_link_outside_or_to_nothing_is_an_error(string target, string expected)
    {
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddEntry(w, TarEntryType.HardLink, "link", target)));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hard_link_to_a_symlinked_path_is_refused()
    {
        var outside = temp.Combine("outside-hl");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret"), "host secret");
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "up", outside);
            OciLayoutWriter.AddEntry(w, TarEntryType.HardLink, "stolen", "up/secret");
        }));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains("up/secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Device_nodes_are_reported_not_created()
    {
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            var device = new PaxTarEntry(TarEntryType.CharacterDevice, "dev/mem") { DeviceMajor = 1, DeviceMinor = 1, Mode = (UnixFileMode)0x1B6 };
            w.WriteEntry(device);
            OciLayoutWriter.AddFile(w, "etc/ok", "ok");
        }));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var report = await ImageExtractor.ExtractAsync(await OpenAsync(reference), Target, null, CancellationToken.None);
        Assert.Contains(report.Skipped, note => note.Contains("dev/mem", StringComparison.Ordinal) && note.Contains("CharDevice 1:1", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Target, "dev", "mem")));
        Assert.True(File.Exists(Path.Combine(Target, "etc", "ok")));
    }

    [Fact]
    public async Task Decompression_bomb_is_stopped_by_ratio_and_by_size()
    {
        var zeros = OciLayoutWriter.Tar(w =>
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "zeros") { DataStream = new MemoryStream(new byte[8 << 20]) };
            w.WriteEntry(entry);
        });
        var layer = OciLayoutWriter.Gzip(zeros);
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var ratio = new ImageOpenOptions { Limits = new Limits { MaxCompressionRatio = 50, CompressionRatioGraceBytes = 1 << 20 } };
        var error = await Assert.ThrowsAsync<StrataException>(async () => await LayeredFileSystem.BuildAsync(await OpenAsync(reference, ratio), CancellationToken.None));
        Assert.Contains("compression ratio", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);

        var size = new ImageOpenOptions { Limits = new Limits { MaxLayerUncompressedBytes = 4 << 20 } };
        error = await ExtractFailsAsync(reference, size);
        Assert.Contains("(limit layer-bytes;", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);

        var image = new ImageOpenOptions { Limits = new Limits { MaxImageUncompressedBytes = 12 << 20 } };
        var twice = OciLayoutWriter.WriteSingle(temp.Combine("twice"), layer, OciLayoutWriter.Gzip(zeros, "again"));
        error = await Assert.ThrowsAsync<StrataException>(async () => await LayeredFileSystem.BuildAsync(await OpenAsync(twice, image), CancellationToken.None));
        Assert.Contains("(limit image-bytes;", error.Message, StringComparison.Ordinal);

        // The same layer passes with default limits (the protection is the limit, not the content).
        var fileSystem = await LayeredFileSystem.BuildAsync(await OpenAsync(reference), CancellationToken.None);
        Assert.Equal(8 << 20, fileSystem.Current("zeros")!.Size);
    }

    [Fact]
    public async Task Enormous_pax_header_is_rejected()
    {
        var tar = OciLayoutWriter.Tar(w =>
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "big-header", new Dictionary<string, string> { ["comment"] = new string('x', 2 << 20) });
            w.WriteEntry(entry);
        });
        var layer = OciLayoutWriter.Gzip(tar);
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var error = await ExtractFailsAsync(reference);
        Assert.Contains("PAX header", error.Message, StringComparison.Ordinal);
        Assert.Contains(layer.Digest, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zero_length_and_duplicated_entries_resolve_like_tar()
    {
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w =>
        {
            OciLayoutWriter.AddFile(w, "dup", "first");
            OciLayoutWriter.AddFile(w, "empty", string.Empty);
            OciLayoutWriter.AddFile(w, "dup", "second!", 0x180);
        }));
        var reference = OciLayoutWriter.WriteSingle(Layout, layer);

        var image = await OpenAsync(reference);
        await ImageExtractor.ExtractAsync(image, Target, null, CancellationToken.None);
        Assert.Equal("second!", File.ReadAllText(Path.Combine(Target, "dup")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Target, "dup")));
        Assert.Equal(0, new FileInfo(Path.Combine(Target, "empty")).Length);

        var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
        var dup = fileSystem.Find("dup")!;
        Assert.Single(dup.Versions);
        Assert.Equal(7, dup.Current!.Size);
        Assert.Equal(5, fileSystem.WastedBytes);
    }

    [Fact]
    public async Task Gnu_and_pax_long_names_are_read()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-name-that-is-long", 8)) + "/file";
        foreach (var format in new[] { TarEntryFormat.Gnu, TarEntryFormat.Pax })
        {
            var root = temp.Combine("long-" + format);
            var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => w.WriteEntry(new GnuOrPax(format, longName).Entry), format));
            var fileSystem = await LayeredFileSystem.BuildAsync(await OpenAsync(OciLayoutWriter.WriteSingle(root, layer)), CancellationToken.None);
            Assert.Equal(3, fileSystem.Current(longName)!.Size);
        }
    }

    [Fact]
    public async Task Index_platform_selection_and_nesting()
    {
        var writer = new OciLayoutWriter(Layout);
        var amd = SimpleLayer();
        var arm = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/arch", "arm64")));
        var amdManifest = writer.WriteImage([amd]);
        var armManifest = writer.WriteImage([arm], OciLayoutWriter.Config([arm], "arm64"));
        amdManifest["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" };
        armManifest["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "arm64", ["variant"] = "v8" };
        var inner = writer.WriteIndexBlob(amdManifest, armManifest);
        writer.WriteIndex((writer.WriteIndexBlob(inner), "multi"));

        var chosen = await OpenAsync($"oci:{Layout}:multi", new ImageOpenOptions { Platform = Model.Platform.Parse("linux/arm64") });
        Assert.Equal("arm64", chosen.Config.Architecture);
        Assert.Equal(2, chosen.IndexDigests.Count);

        var byDefault = await OpenAsync($"oci:{Layout}:multi");
        Assert.Equal("amd64", byDefault.Config.Architecture);

        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"oci:{Layout}:multi", new ImageOpenOptions { Platform = Model.Platform.Parse("linux/s390x") }));
        Assert.Contains("linux/arm64/v8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_oci_layout_file_is_an_error()
    {
        OciLayoutWriter.WriteSingle(Layout, SimpleLayer());
        File.Delete(Path.Combine(Layout, "oci-layout"));
        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"oci:{Layout}:latest"));
        Assert.Contains("oci-layout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_docker_archive_layer_is_detected_by_magic()
    {
        // A docker save-style archive whose layer.tar is actually gzip-compressed.
        var tar = OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/hello", "hello\n"));
        var layer = OciLayoutWriter.Gzip(tar);
        var config = Encoding.UTF8.GetBytes(OciLayoutWriter.Config([layer]).ToJsonString());
        var configName = OciLayoutWriter.DigestOf(config)["sha256:".Length..] + ".json";
        var manifest = $"[{{\"Config\":\"{configName}\",\"RepoTags\":[\"example/app:1\"],\"Layers\":[\"abc/layer.tar\"]}}]";
        var archive = temp.Combine("docker.tar");
        await using (var file = File.Create(archive))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            foreach (var (name, data) in new[] { ("manifest.json", Encoding.UTF8.GetBytes(manifest)), (configName, config), ("abc/layer.tar", layer.Blob) })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
        }

        var image = await OpenAsync($"docker-archive:{archive}:example/app:1");
        Assert.Equal(Model.LayerCompression.Gzip, image.Layers[0].Compression);
        Assert.True(image.ManifestSynthesized);
        var fileSystem = await LayeredFileSystem.BuildAsync(image, CancellationToken.None);
        Assert.True(fileSystem.Find("etc/hello")!.Exists);
    }

    private sealed class GnuOrPax(TarEntryFormat format, string name)
    {
        public TarEntry Entry => format == TarEntryFormat.Gnu
            ? new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("abc"u8.ToArray()) }
            : new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("abc"u8.ToArray()) };
    }
}
