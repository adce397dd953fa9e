namespace Strata.Oci.Tests.Registry;

using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Oci.Extraction;
using Strata.Oci.Model;
using Strata.Oci.Resolution;
using Strata.Testing;
using static Strata.Oci.Tests.Registry.RegistryPullTests;

/// <summary>
/// Issue 3's "done when": the buildah-built image, pushed with skopeo to a real docker-registry, comes back
/// through every auth mode (anonymous, htpasswd Basic, Bearer token) as the very tree umoci unpacks from the
/// local layout, and a multi-platform index hands out the child <c>--platform</c> names. Options go through
/// <see cref="ImageOpenOptions.FromCommandLine"/> exactly as the command line passes them.
/// </summary>
[Collection(SharedRegistries.Name)]
public sealed class RegistryRoundTripTests(RegistryFixture registries, BuiltImageFixture built)
{
    private const string Repository = "built/image:v1";
    private const string MultiRepository = "built/multi:v1";
    private const string DockerListRepository = "built/docker-list:v1";

    public static TheoryData<string> AuthModes => ["anonymous", "basic", "bearer"];

    [Theory]
    [MemberData(nameof(AuthModes))]
    public async Task Pulled_image_extracts_to_umocis_tree_with_every_auth_mode(string mode)
    {
        await PushBuiltAsync();
        var (server, credentials) = mode switch
        {
            "anonymous" => (registries.Open, (string?)null),
            "basic" => (registries.Basic, $"{RegistryFixture.User}:{RegistryFixture.Password}"),
            _ => (registries.Token, $"{RegistryFixture.User}:{RegistryFixture.Password}"),
        };
        var tokensBefore = registries.TokenIssuer.Requests;

        using var target = new TempDirectory("strata-registry-extract");
        var output = Path.Combine(target.Path, "rootfs");
        var image = await OpenAsync($"docker://{server.HostPort}/{Repository}", Access(null, credentials));
        await using (image.Source)
        {
            var local = await ImageResolver.OpenAsync(built.References["oci"], ImageOpenOptions.Default, CancellationToken.None);
            await using (local.Source)
            {
                // skopeo --preserve-digests: the registry serves the very manifest of the local layout.
                Assert.Equal(local.ManifestDigest, image.ManifestDigest);
                Assert.Equal(local.Layers.Select(l => l.DiffId), image.Layers.Select(l => l.DiffId));
            }

            await ImageExtractor.ExtractAsync(image, output, null, CancellationToken.None);
        }

        var diff = TreeSnapshot.Diff(TreeSnapshot.Take(built.UmociRootfs), TreeSnapshot.Take(output));
        Assert.True(diff.Length == 0, $"{mode}: the tree pulled from the registry differs from umoci's:\n{diff}");
        if (mode == "bearer")
        {
            Assert.True(registries.TokenIssuer.Requests > tokensBefore, "the Bearer flow went through the token server");
        }
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task Protected_registries_refuse_anonymous_pulls_of_the_image(string mode)
    {
        await PushBuiltAsync();
        var server = mode == "basic" ? registries.Basic : registries.Token;
        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync($"docker://{server.HostPort}/{Repository}", Access(null, null)));
        Assert.Contains(Repository.Split(':')[0], error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MultiRepository)]
    [InlineData(DockerListRepository)]
    public async Task Platform_selects_the_right_child_of_a_pushed_manifest_list(string repository)
    {
        await PushMultiAsync();
        var reference = $"docker://{registries.Token.HostPort}/{repository}";
        var credentials = $"{RegistryFixture.User}:{RegistryFixture.Password}";

        var arm = await OpenAsync(reference, Access("linux/arm64/v8", credentials));
        await using (arm.Source)
        {
            Assert.Equal("arm64", arm.Config.Architecture);
            Assert.Equal(new Platform("linux", "arm64", "v8"), arm.SelectedPlatform);
            Assert.Single(arm.IndexDigests);
            using var target = new TempDirectory("strata-registry-arm");
            await ImageExtractor.ExtractAsync(arm, target.Combine("rootfs"), null, CancellationToken.None);
            Assert.Equal("arm64\n", File.ReadAllText(target.Combine("rootfs", "etc", "arch")));
            Assert.Equal("etc", Path.GetFileName(Assert.Single(Directory.EnumerateFileSystemEntries(target.Combine("rootfs")))));
        }

        foreach (var platform in new[] { "linux/amd64", null })
        {
            var amd = await OpenAsync(reference, Access(platform, credentials));
            await using (amd.Source)
            {
                Assert.Equal("amd64", amd.Config.Architecture);
                Assert.Equal(5, amd.Layers.Count);
                using var target = new TempDirectory("strata-registry-amd");
                await ImageExtractor.ExtractAsync(amd, target.Combine("rootfs"), null, CancellationToken.None);
                var diff = TreeSnapshot.Diff(TreeSnapshot.Take(built.UmociRootfs), TreeSnapshot.Take(target.Combine("rootfs")));
                Assert.True(diff.Length == 0, $"{repository} {platform ?? "(default)"}: differs from umoci's tree:\n{diff}");
            }
        }

        var error = await Assert.ThrowsAsync<StrataException>(() => OpenAsync(reference, Access("linux/ppc64le", credentials)));
        Assert.Contains("no manifest for platform linux/ppc64le", error.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64/v8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docker_manifest_list_is_what_the_registry_serves_for_the_converted_push()
    {
        await PushMultiAsync();
        var raw = JsonNode.Parse(await registries.SkopeoRawAsync(DockerListRepository))!;
        Assert.Equal("application/vnd.docker.distribution.manifest.list.v2+json", (string?)raw["mediaType"]);
        var oci = JsonNode.Parse(await registries.SkopeoRawAsync(MultiRepository))!;
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)oci["mediaType"]);
    }

    private static ImageOpenOptions Access(string? platform, string? credentials) =>
        ImageOpenOptions.FromCommandLine(platform, credentials, authFile: null, tlsVerify: false, new ImageOpenOptions { Registry = Isolated() });

    private static async Task<ResolvedImage> OpenAsync(string reference, ImageOpenOptions options) =>
        await ImageResolver.OpenAsync(reference, options, CancellationToken.None);

    private Task PushBuiltAsync() => registries.PushOnceAsync(Repository, () => Task.FromResult(built.References["oci"]));

    /// <summary>The built image (linux/amd64) and a one-file linux/arm64/v8 image under one index, pushed as an OCI index and as a Docker manifest list.</summary>
    private async Task PushMultiAsync()
    {
        await registries.PushOnceAsync(MultiRepository, () => Task.FromResult(WriteMultiLayout()), "--all");
        await registries.PushOnceAsync(DockerListRepository, () => Task.FromResult(WriteMultiLayout()), "--all", "--format", "v2s2");
    }

    private string WriteMultiLayout()
    {
        var root = Path.Combine(registries.Directory, "multi-layout");
        var reference = $"oci:{root}:multi";
        if (File.Exists(Path.Combine(root, "complete")))
        {
            return reference;
        }

        var source = Path.Combine(built.Directory, "oci");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        var writer = new OciLayoutWriter(root);
        var amd = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "index.json")))!["manifests"]![0]!.DeepClone().AsObject();
        amd.Remove("annotations");
        amd["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "amd64" };
        var layer = OciLayoutWriter.Gzip(OciLayoutWriter.Tar(w => OciLayoutWriter.AddFile(w, "etc/arch", "arm64\n")));
        var arm = writer.WriteImage([layer], OciLayoutWriter.Config([layer], "arm64"));
        arm["platform"] = new JsonObject { ["os"] = "linux", ["architecture"] = "arm64", ["variant"] = "v8" };
        writer.WriteIndex((writer.WriteIndexBlob(amd, arm), "multi"));
        File.WriteAllText(Path.Combine(root, "complete"), "ok");
        return reference;
    }
}
