namespace Strata.Cli.Tests;

using System.Formats.Tar;
using System.Text.Json.Nodes;
using Strata.Testing;
using Strata.Testing.Images;

/// <summary>
/// <c>strata image inspect|files|extract</c> end to end, in process, over the buildah-built image; skopeo and
/// umoci are the independent references.
/// </summary>
[Collection(ImageFixtureGroup.Name)]
public sealed class ImageCommandTests(BuiltImageFixture fixture)
{
    private static readonly string[] FileTypes = ["file", "hardlink"];

    public static TheoryData<string> Formats => ["oci", "oci-zstd", "oci-archive", "docker-archive", "dir"];

    private string Oci => fixture.References["oci"];

    [Fact]
    public async Task Inspect_json_agrees_with_skopeo_and_redacts_every_env_value()
    {
        var result = await CliRunner.RunAsync("image", "inspect", Oci, "--format", "json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var skopeo = JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", Oci))!;
        var config = JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", "--config", Oci))!;
        var manifest = JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", "--raw", Oci))!;

        var json = JsonNode.Parse(result.StdOut)!;
        Assert.Equal("2.0", (string?)json["schemaVersion"]);
        Assert.Equal("image-inspect", (string?)json["kind"]);
        Assert.Empty(SchemaValidator.ValidateStrataReport(result.StdOut));
        Assert.Equal((string?)skopeo["Digest"], (string?)json["manifest"]!["digest"]);
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", (string?)json["manifest"]!["mediaType"]);
        Assert.Equal((string?)skopeo["Os"], (string?)json["platform"]!["os"]);
        Assert.Equal((string?)skopeo["Architecture"], (string?)json["platform"]!["architecture"]);

        var layers = json["imageLayers"]!.AsArray();
        var expectedLayers = manifest["layers"]!.AsArray();
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        Assert.Equal(5, layers.Count);
        Assert.Equal(expectedLayers.Count, layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            Assert.Equal(i, (int)layers[i]!["index"]!);
            Assert.Equal((string?)expectedLayers[i]!["digest"], (string?)layers[i]!["digest"]);
            Assert.Equal((string?)skopeo["Layers"]![i], (string?)layers[i]!["digest"]);
            Assert.Equal((string?)expectedLayers[i]!["mediaType"], (string?)layers[i]!["mediaType"]);
            Assert.Equal((long)expectedLayers[i]!["size"]!, (long)layers[i]!["size"]!);
            Assert.Equal((string?)diffIds[i], (string?)layers[i]!["diffId"]);
        }

        Assert.Contains("rm /etc/token.txt", (string?)layers[2]!["createdBy"], StringComparison.Ordinal);
        Assert.True((int)layers[2]!["filesDeleted"]! >= 3, layers[2]!.ToJsonString());
        Assert.True((int)layers[3]!["filesModified"]! >= 2, layers[3]!.ToJsonString());
        var wasted = BuiltImageFixture.Secret.Length + 1 + 4 + 3 + 65536 + 4 + 4;
        Assert.Equal(wasted, (long)json["wastedBytes"]!);
        Assert.Equal(wasted, layers.Sum(l => (long)l!["wastedBytes"]!));
        Assert.Equal(expectedLayers.Sum(l => (long)l!["size"]!), (long)json["totalSize"]!);

        // Names kept, values never: each value is a short prefix and its length.
        var env = json["config"]!["env"]!.AsArray();
        var realEnv = skopeo["Env"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal(realEnv.Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)]), env.Select(e => (string?)e!["name"]));
        foreach (var variable in realEnv)
        {
            var value = variable[(variable.IndexOf('=', StringComparison.Ordinal) + 1)..];
            Assert.DoesNotContain(value, result.StdOut, StringComparison.Ordinal);
            Assert.Contains(env, e => (string?)e!["value"] == $"{value[..Math.Min(4, value.Length / 4)]}…({value.Length} chars)");
        }

        Assert.Equal((string?)skopeo["Labels"]!["io.buildah.version"], (string?)json["config"]!["labels"]!["io.buildah.version"]);
        Assert.Null(json["config"]!["entrypoint"]);
        Assert.Empty(result.StdErr);
    }

    [Fact]
    public async Task Inspect_table_names_the_manifest_and_every_layer_with_its_build_step()
    {
        var skopeo = JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", Oci))!;
        var result = await CliRunner.RunAsync(["image", "inspect", Oci], width: 200);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Manifest:", StringComparison.Ordinal) && l.Contains((string)skopeo["Digest"]!, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Platform:", StringComparison.Ordinal) && l.EndsWith("linux/amd64", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Env:", StringComparison.Ordinal) && l.Contains("PATH=/usr…(", StringComparison.Ordinal));
        Assert.DoesNotContain("/usr/local/sbin", result.StdOut, StringComparison.Ordinal);
        var layerRows = lines.SkipWhile(l => !l.StartsWith("#  DIGEST", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Contains("  sha256:", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, layerRows.Count);
        var digests = skopeo["Layers"]!.AsArray().Select(d => ((string)d!)[..19]).ToList();
        for (var i = 0; i < 5; i++)
        {
            Assert.StartsWith($"{i}  {digests[i]}", layerRows[i], StringComparison.Ordinal);
        }

        Assert.Contains("strata test: opaque dir", layerRows[4], StringComparison.Ordinal);
        Assert.Contains("(65587 bytes overwritten or deleted by a later image layer)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_holding_an_oci_layout_is_an_image_target()
    {
        var byDirectory = await CliRunner.RunAsync("image", "inspect", Path.Combine(fixture.Directory, "oci"), "--format", "json");
        var byTransport = await CliRunner.RunAsync("image", "inspect", Oci, "--format", "json");
        Assert.True(byDirectory.ExitCode == 0, byDirectory.StdErr);
        Assert.Equal((string?)JsonNode.Parse(byTransport.StdOut)!["manifest"]!["digest"], (string?)JsonNode.Parse(byDirectory.StdOut)!["manifest"]!["digest"]);
        Assert.Equal("oci:" + Path.Combine(fixture.Directory, "oci"), (string?)JsonNode.Parse(byDirectory.StdOut)!["reference"]);
    }

    [Fact]
    public async Task Files_lists_exactly_the_paths_umoci_unpacked_with_their_modes_and_link_targets()
    {
        var result = await CliRunner.RunAsync("image", "files", Oci, "--format", "json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var files = JsonNode.Parse(result.StdOut)!["files"]!.AsArray().ToDictionary(f => (string)f!["path"]!);
        var umoci = TreeSnapshot.Take(fixture.UmociRootfs);
        Assert.Equal(umoci.Keys.Select(p => "/" + p).Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, line) in umoci)
        {
            var file = files["/" + path]!;
            Assert.True((bool)file["exists"]!);
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "symlink":
                    Assert.Equal("symlink", (string?)file["type"]);
                    Assert.Equal(line["symlink -> ".Length..], (string?)file["linkTarget"]);
                    break;
                case "dir":
                    Assert.Equal("directory", (string?)file["type"]);
                    Assert.Equal(parts[1], (string?)file["modeOctal"]);
                    break;
                default:
                    Assert.Contains((string?)file["type"], FileTypes);
                    Assert.Equal(parts[1], (string?)file["modeOctal"]);
                    if ((string?)file["type"] == "file")
                    {
                        Assert.Equal(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), (long)file["size"]!);
                    }

                    break;
            }
        }

        Assert.Equal("-rwsr-xr-x", (string?)files["/bin/tool"]!["mode"]);
        Assert.Equal("4755", (string?)files["/bin/tool"]!["modeOctal"]);
        Assert.Equal("/etc", (string?)files["/etclink"]!["linkTarget"]);
        Assert.Equal("/bin/h1", (string?)files["/bin/h2"]!["linkTarget"]);
        Assert.Equal("[3]", files["/etc/app.conf"]!["modifiedInImageLayers"]!.ToJsonString());
        Assert.Equal(1, (int)files["/etc/app.conf"]!["addedInImageLayer"]!);
        Assert.Equal("file", (string?)files["/srv/g"]!["type"]);
        Assert.DoesNotContain("/etc/token.txt", files.Keys);
    }

    [Fact]
    public async Task Deleted_lists_the_deleted_secret_file_with_the_layers_that_added_and_deleted_it()
    {
        var json = await CliRunner.RunAsync("image", "files", Oci, "--deleted", "--format", "json");
        Assert.True(json.ExitCode == 0, json.StdErr);
        var files = JsonNode.Parse(json.StdOut)!["files"]!.AsArray();
        Assert.True((bool)JsonNode.Parse(json.StdOut)!["deletedOnly"]!);
        Assert.All(files, f => Assert.False((bool)f!["exists"]!));
        var token = Assert.Single(files, f => (string?)f!["path"] == "/etc/token.txt")!;
        Assert.Equal(1, (int)token["addedInImageLayer"]!);
        Assert.Equal("[2]", token["deletedInImageLayers"]!.ToJsonString());
        Assert.Equal(BuiltImageFixture.Secret.Length + 1, (long)token["size"]!);
        Assert.Contains(files, f => (string?)f!["path"] == "/opaque/old1");
        Assert.Contains(files, f => (string?)f!["path"] == "/usr/share/doc/readme" && f["deletedInImageLayers"]!.ToJsonString() == "[4]");
        Assert.DoesNotContain(files, f => (string?)f!["path"] == "/opaque/fresh");

        var table = await CliRunner.RunAsync("image", "files", Oci, "--deleted");
        var row = Assert.Single(table.StdOut.Split('\n'), l => l.Contains("/etc/token.txt", StringComparison.Ordinal));
        Assert.Equal("-rw-r--r-- 0644 0 0 36 1 - 2 /etc/token.txt (deleted)", string.Join(' ', row.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain(BuiltImageFixture.Secret, table.StdOut + json.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layer_option_keeps_only_the_paths_that_layer_touched()
    {
        var result = await CliRunner.RunAsync("image", "files", Oci, "--image-layer", "4", "--format", "json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var json = JsonNode.Parse(result.StdOut)!;
        Assert.Equal(4, (int)json["imageLayer"]!);
        Assert.Empty(SchemaValidator.ValidateStrataReport(result.StdOut));
        var paths = json["files"]!.AsArray().Select(f => (string)f!["path"]!).ToList();
        Assert.Contains("/opaque/fresh", paths);
        Assert.Contains("/bin/h2", paths);
        Assert.Contains("/srv/g", paths);
        Assert.DoesNotContain("/bin/busybox", paths);
        Assert.DoesNotContain("/etc/app.conf", paths);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Extract_writes_the_tree_umoci_unpacks_for_every_format(string format)
    {
        using var temp = new TempDirectory("strata-cli-extract");
        var rootfs = temp.Combine("rootfs");
        var result = await CliRunner.RunAsync("image", "extract", fixture.References[format], rootfs);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(result.StdOut);
        Assert.StartsWith($"extracted {fixture.References[format]} (manifest sha256:", result.StdErr, StringComparison.Ordinal);
        var diff = TreeSnapshot.Diff(TreeSnapshot.Take(fixture.UmociRootfs), TreeSnapshot.Take(rootfs));
        Assert.True(diff.Length == 0, $"{format}: the extracted tree differs from umoci's:\n{diff}");
        Assert.Equal("rootfs", Path.GetFileName(Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path))));
    }

    [Fact]
    public async Task Extract_json_goes_atomically_to_the_output_file()
    {
        using var temp = new TempDirectory("strata-cli-extract");
        var report = temp.Combine("extract.json");
        var result = await CliRunner.RunAsync("image", "extract", Oci, temp.Combine("rootfs"), "--format", "json", "--output", report, "--quiet");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(result.StdOut);
        Assert.Empty(result.StdErr);
        var json = JsonNode.Parse(File.ReadAllText(report))!;
        Assert.Equal(temp.Combine("rootfs"), (string?)json["directory"]);
        Assert.Equal((string?)JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", Oci))!["Digest"], (string?)json["manifestDigest"]);

        // Counts are of what was written, including what a later layer removed again.
        var umoci = TreeSnapshot.Take(fixture.UmociRootfs);
        Assert.Equal(umoci.Values.Count(v => v.StartsWith("symlink", StringComparison.Ordinal)), (long)json["symlinks"]!);
        Assert.True((long)json["hardLinks"]! >= 2, json.ToJsonString());
        Assert.True((long)json["files"]! + (long)json["hardLinks"]! >= umoci.Values.Count(v => v.StartsWith("file", StringComparison.Ordinal)), json.ToJsonString());
        Assert.True((long)json["bytesWritten"]! > new FileInfo(Path.Combine(fixture.UmociRootfs, "bin", "busybox")).Length, json.ToJsonString());
        Assert.Equal("extract.json rootfs", string.Join(' ', Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Extract_refuses_a_non_empty_directory_and_leaves_it_untouched()
    {
        using var temp = new TempDirectory("strata-cli-extract");
        var keep = temp.WriteFile("rootfs/keep.txt", "mine\n");
        var result = await CliRunner.RunAsync("image", "extract", Oci, temp.Combine("rootfs"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"strata: {temp.Combine("rootfs")}: directory is not empty; extract into a new or empty directory.\n", result.StdErr);
        Assert.Equal("keep.txt", Path.GetFileName(Assert.Single(Directory.EnumerateFileSystemEntries(temp.Combine("rootfs")))));
        Assert.Equal("mine\n", File.ReadAllText(keep));
    }

    [Fact]
    public async Task Corrupted_layer_fails_with_its_digest_and_leaves_nothing_behind()
    {
        using var temp = new TempDirectory("strata-cli-corrupt");
        var layout = temp.Combine("layout");
        CopyDirectory(Path.Combine(fixture.Directory, "oci"), layout);
        var skopeo = JsonNode.Parse(await ExternalTool.RunCheckedAsync("skopeo", "inspect", $"oci:{layout}:latest"))!;
        var digest = (string)skopeo["Layers"]![1]!;
        var blob = Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(blob, bytes);

        var rootfs = temp.Combine("out", "rootfs");
        Directory.CreateDirectory(temp.Combine("out"));
        var result = await CliRunner.RunAsync("image", "extract", $"oci:{layout}:latest", rootfs);
        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains(digest, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Combine("out")));

        var inspect = await CliRunner.RunAsync("image", "files", $"oci:{layout}:latest");
        Assert.Equal(3, inspect.ExitCode);
        Assert.Contains(digest, inspect.StdErr, StringComparison.Ordinal);
        Assert.Empty(inspect.StdOut);
    }

    [Fact]
    public async Task Hostile_symlink_layer_is_clamped_into_the_directory_and_writes_nothing_outside()
    {
        using var temp = new TempDirectory("strata-cli-hostile");
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(outside);
        var link = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddEntry(w, TarEntryType.SymbolicLink, "evil", outside)));
        var write = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "evil/pwned", "pwned")));
        var reference = OciLayoutWriter.WriteSingle(temp.Combine("layout"), link, write);

        // Like umoci and a real container, the absolute link is resolved inside the root: the write lands
        // at ROOT/<outside path>/pwned, never in the host directory the link names.
        var result = await CliRunner.RunAsync("image", "extract", reference, temp.Combine("rootfs"));
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(temp.Combine("rootfs"), outside.TrimStart('/'), "pwned")));
    }

    [Fact]
    public async Task Platform_option_picks_the_matching_image_of_an_index()
    {
        using var temp = new TempDirectory("strata-cli-platform");
        var writer = new OciLayoutWriter(temp.Combine("layout"));
        var amd = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/arch-amd64", "amd64\n")));
        var arm = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/arch-arm64", "arm64\n")));
        var amdManifest = writer.WriteImage([amd], OciLayoutWriter.Config([amd], "amd64"));
        amdManifest["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" };
        var armManifest = writer.WriteImage([arm], OciLayoutWriter.Config([arm], "arm64"));
        armManifest["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "arm64", ["variant"] = "v8" };
        writer.WriteIndex((writer.WriteIndexBlob(amdManifest, armManifest), "multi"));
        var reference = $"oci:{writer.Root}:multi";

        var arm64 = await CliRunner.RunAsync("image", "files", reference, "--platform", "linux/arm64/v8", "--format", "json");
        Assert.True(arm64.ExitCode == 0, arm64.StdErr);
        Assert.Contains("/etc/arch-arm64", arm64.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("/etc/arch-amd64", arm64.StdOut, StringComparison.Ordinal);
        Assert.Equal((string?)armManifest["digest"], (string?)JsonNode.Parse(arm64.StdOut)!["manifestDigest"]);

        var byDefault = await CliRunner.RunAsync("image", "inspect", reference, "--format", "json");
        Assert.Equal((string?)amdManifest["digest"], (string?)JsonNode.Parse(byDefault.StdOut)!["manifest"]!["digest"]);
        Assert.Single(JsonNode.Parse(byDefault.StdOut)!["indexDigests"]!.AsArray());

        var missing = await CliRunner.RunAsync("image", "inspect", reference, "--platform", "linux/s390x");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("no manifest for platform linux/s390x (available: linux/amd64, linux/arm64/v8)", missing.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--platform", "linux", "--platform 'linux'")]
    [InlineData("--creds", "no-colon-secret-value", "--creds: expected USERNAME:PASSWORD")]
    [InlineData("--image-layer", "9", "--image-layer 9:")]
    [InlineData("--format", "sarif", "--format sarif: image files writes table or json.")]
    public async Task Bad_options_are_usage_errors_on_one_line(string option, string value, string expected)
    {
        var result = await CliRunner.RunAsync("image", "files", Oci, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("strata: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.TrimEnd('\n').Split('\n'), l => !l.StartsWith("Run 'strata --help'", StringComparison.Ordinal));
        Assert.DoesNotContain("no-colon-secret-value", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task Targets_that_are_not_images_are_named_in_usage_errors()
    {
        using var temp = new TempDirectory("strata-cli-target");
        var dockerfile = temp.WriteFile("Containerfile", "FROM scratch\n");
        var notImage = await CliRunner.RunAsync("image", "inspect", dockerfile);
        Assert.Equal(2, notImage.ExitCode);
        Assert.Equal($"strata: {dockerfile}: not an image; name one as oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:DIR, docker://REF.\n", notImage.StdErr);

        var missing = await CliRunner.RunAsync("image", "extract", $"oci:{temp.Combine("nowhere")}", temp.Combine("rootfs"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains(temp.Combine("nowhere"), missing.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("rootfs")));
    }

    [Fact]
    public async Task Missing_tag_is_bad_input_naming_the_layout()
    {
        var result = await CliRunner.RunAsync("image", "inspect", $"oci:{Path.Combine(fixture.Directory, "oci")}:no-such-tag");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no-such-tag", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(fixture.Directory, "oci"), result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_shapes_have_exactly_the_documented_fields()
    {
        var documentation = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "json-schema.md"));
        void AssertFields(JsonNode? node, string expected)
        {
            var keys = string.Join(' ', node!.AsObject().Select(p => p.Key));
            Assert.Equal(expected, keys);
            if (node.Parent is null)
            {
                Assert.Empty(SchemaValidator.ValidateStrataReport(node.ToJsonString()));
            }

            Assert.All(node.AsObject(), p => Assert.Contains($"`{p.Key}", documentation, StringComparison.Ordinal));
        }

        var inspect = JsonNode.Parse((await CliRunner.RunAsync("image", "inspect", Oci, "--format", "json")).StdOut);
        AssertFields(inspect, "schemaVersion kind tool toolVersion reference manifest indexDigests platform config imageLayers totalSize wastedBytes");
        AssertFields(inspect!["manifest"], "digest mediaType synthesized");
        AssertFields(inspect["config"], "digest created author user entrypoint cmd workingDir env exposedPorts volumes labels healthcheck stopSignal");
        AssertFields(inspect["imageLayers"]![0], "index digest mediaType size diffId createdBy entries filesAdded filesModified filesDeleted contentBytes wastedBytes encryption");

        var files = JsonNode.Parse((await CliRunner.RunAsync("image", "files", Oci, "--format", "json")).StdOut);
        AssertFields(files, "schemaVersion kind tool toolVersion reference manifestDigest imageLayer deletedOnly files");
        AssertFields(files!["files"]![0], "path type mode modeOctal uid gid size linkTarget exists addedInImageLayer modifiedInImageLayers deletedInImageLayers createdBy");

        using var temp = new TempDirectory("strata-cli-extract");
        var extract = JsonNode.Parse((await CliRunner.RunAsync("image", "extract", Oci, temp.Combine("rootfs"), "--format", "json", "--quiet")).StdOut);
        AssertFields(extract, "schemaVersion kind tool toolVersion reference manifestDigest directory files directories symlinks hardLinks bytesWritten skipped");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
