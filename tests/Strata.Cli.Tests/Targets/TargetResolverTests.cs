namespace Strata.Cli.Tests.Targets;

using Strata.Core;
using Strata.Core.Targets;
using Strata.Engine.Targets;
using Strata.Testing;

/// <summary>The target resolver of the engine (moved from Core so it can read the image transport table).</summary>
public sealed class TargetResolverTests
{
    [Theory]
    [InlineData("host", TargetKind.Host, "/")]
    [InlineData("oci:/tmp/layout:v1", TargetKind.Image, "oci:/tmp/layout:v1")]
    [InlineData("docker://quay.io/a/b:1", TargetKind.Image, "docker://quay.io/a/b:1")]
    [InlineData("alpine:3.20", TargetKind.Image, "docker://alpine:3.20")]
    [InlineData("localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", TargetKind.Image, "docker://localhost:5000/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("image:alpine", TargetKind.Image, "docker://alpine")]
    public void Transports_host_and_bare_references(string text, TargetKind kind, string locator)
    {
        var target = TargetResolver.Resolve(text);
        Assert.Equal((kind, locator), (target.Kind, target.Locator));
        Assert.Equal(text, target.Name);
    }

    [Theory]
    [InlineData("alice:s3cretPassw0rd@registry.example/team/app:1.0")]
    [InlineData("docker://alice:s3cretPassw0rd@registry.example/team/app")]
    [InlineData("image:docker://alice:s3cretPassw0rd@registry.example/team/app")]
    public void Credentials_in_a_reference_are_refused_without_repeating_them(string text)
    {
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(text));
        Assert.Equal(ExitCode.Usage, error.ExitCode);
        Assert.DoesNotContain("s3cretPassw0rd", error.Message, StringComparison.Ordinal);
        Assert.Contains("--creds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_are_recognised_by_name_then_content()
    {
        using var dir = new TempDirectory();
        Assert.Equal(TargetKind.Dockerfile, TargetResolver.Resolve(dir.WriteFile("Containerfile", "FROM x\n")).Kind);
        Assert.Equal(TargetKind.Dockerfile, TargetResolver.Resolve(dir.WriteFile("build/api.dockerfile", "FROM x\n")).Kind);
        Assert.Equal(TargetKind.Dockerfile, TargetResolver.Resolve(dir.WriteFile("recipe", "# x\nFROM debian\nRUN true\n")).Kind);
        Assert.Equal(TargetKind.SeccompProfile, TargetResolver.Resolve(dir.WriteFile("a.json", "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}")).Kind);
        Assert.Equal(TargetKind.RuntimeConfig, TargetResolver.Resolve(dir.WriteFile("config.json", "{\"ociVersion\":\"1.0.2\",\"process\":{}}")).Kind);
        Assert.Equal(TargetKind.KubernetesManifest, TargetResolver.Resolve(dir.WriteFile("pod.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}")).Kind);
        Assert.Equal(TargetKind.KubernetesManifest, TargetResolver.Resolve(dir.WriteFile("x.yaml", "# c\napiVersion: v1\nkind: Pod\n")).Kind);
        dir.WriteFile("layout/oci-layout", "{}");
        Assert.Equal("oci:" + dir.Combine("layout"), TargetResolver.Resolve(dir.Combine("layout")).Locator);
    }

    [Fact]
    public void Engine_configurations_are_recognised_by_name_and_content()
    {
        using var dir = new TempDirectory();
        Assert.Equal(TargetKind.DockerDaemonConfig, TargetResolver.Resolve(dir.WriteFile("etc/docker/daemon.json", "{\"icc\": false}")).Kind);
        Assert.Equal(TargetKind.ContainerdConfig, TargetResolver.Resolve(dir.WriteFile("etc/containerd/config.toml", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n")).Kind);
        Assert.Equal(TargetKind.CrioConfig, TargetResolver.Resolve(dir.WriteFile("etc/crio/crio.conf", "# empty\n")).Kind);
        Assert.Equal(TargetKind.CrioConfig, TargetResolver.Resolve(dir.WriteFile("etc/crio/crio.conf.d/10-caps.conf", "# drop-in\n")).Kind);
        Assert.Equal(TargetKind.CrioConfig, TargetResolver.Resolve(dir.WriteFile("crio-node.toml", "[crio.runtime]\nselinux = true\n")).Kind);
        Assert.Equal(TargetKind.File, TargetResolver.Resolve(dir.WriteFile("pyproject.toml", "[project]\nname = \"x\"\n")).Kind);
        Assert.Equal(TargetKind.ContainerdConfig, TargetResolver.Resolve("containerd:" + dir.WriteFile("any-name", "version = 3\n")).Kind);
    }

    [Fact]
    public void A_directory_is_a_root_filesystem_only_when_shaped_like_one()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("repo/bin/build.sh", "#!/bin/sh\n");
        dir.WriteFile("repo/etc/app.conf", "x=1\n");
        Assert.Equal(TargetKind.SourceTree, TargetResolver.Resolve(dir.Combine("repo")).Kind);
        Assert.Equal(TargetKind.SourceTree, TargetResolver.Resolve(dir.Path).Kind);

        dir.WriteFile("debian/etc/os-release", "ID=debian\n");
        Assert.Equal(TargetKind.RootFs, TargetResolver.Resolve(dir.Combine("debian")).Kind);
        dir.WriteFile("busybox/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        dir.WriteFile("busybox/bin/busybox", "\u007fELF");
        Assert.Equal(TargetKind.RootFs, TargetResolver.Resolve(dir.Combine("busybox")).Kind);

        // A prefix says what a directory is whatever its shape.
        Assert.Equal(TargetKind.SourceTree, TargetResolver.Resolve("project:" + dir.Combine("debian")).Kind);
        Assert.Equal(TargetKind.RootFs, TargetResolver.Resolve("rootfs:" + dir.Combine("repo")).Kind);
    }

    [Fact]
    public void Kind_prefix_and_forced_kind_override_detection_and_accept_a_directory()
    {
        using var dir = new TempDirectory();
        var file = dir.WriteFile("profile.txt", "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        Assert.Equal(TargetKind.SeccompProfile, TargetResolver.Resolve("seccomp:" + file).Kind);
        Assert.Equal(TargetKind.KubernetesManifest, TargetResolver.Resolve(file, TargetKind.KubernetesManifest).Kind);
        var manifests = TargetResolver.Resolve("k8s:" + dir.Path);
        Assert.Equal((TargetKind.KubernetesManifest, dir.Path), (manifests.Kind, manifests.Locator));
        Assert.True(SourceTree.IsTree(manifests));
    }

    [Theory]
    [InlineData("./missing/Dockerfile", "no such file")]
    [InlineData("missing.yaml", "no such file")]
    [InlineData("Not An Image!", "not an image reference")]
    [InlineData("dockerfile:/nonexistent/Dockerfile", "no such file")]
    public void Unknown_or_missing_targets_are_errors_naming_them(string text, string message)
    {
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(text.Split(':').Last(), error.Message, StringComparison.Ordinal);

        // Among other targets, it fails alone.
        var each = TargetResolver.ResolveEach([text, "host"]);
        Assert.Equal((TargetKind.Unknown, error.Message), (each[0].Kind, each[0].Error));
        Assert.Equal(TargetKind.Host, each[1].Kind);
    }

    [Theory]
    [InlineData("ocii:/x", "did you mean oci:?")]
    [InlineData("dockr://alpine", "did you mean docker://?")]
    [InlineData("docker-archiv:image.tar", "did you mean docker-archive:?")]
    [InlineData("k8z:deploy.yaml", "did you mean k8s:?")]
    public void An_unknown_transport_or_kind_lists_the_valid_ones(string text, string suggestion)
    {
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(text));
        Assert.Contains(suggestion, error.Message, StringComparison.Ordinal);
        foreach (var syntax in new[] { "oci:DIR[:TAG|@DIGEST]", "oci-archive:FILE[:TAG]", "docker-archive:FILE[:REF]", "dir:DIR", "docker://REF", "dockerfile:", "k8s:" })
        {
            Assert.Contains(syntax, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_file_of_no_known_kind_gets_the_secret_rules_and_a_note_and_malformed_json_is_an_error()
    {
        using var dir = new TempDirectory();
        var notes = TargetResolver.Resolve(dir.WriteFile("notes.txt", "hello"));
        Assert.Equal(TargetKind.File, notes.Kind);
        Assert.Contains("cannot tell what kind of target this is; only the secret rules ran", notes.Note, StringComparison.Ordinal);

        var values = TargetResolver.Resolve(dir.WriteFile("chart/values.yaml", "replicas: 2\n"));
        Assert.Equal(TargetKind.File, values.Kind);
        Assert.Contains("a Helm values file", values.Note, StringComparison.Ordinal);
        Assert.Contains("helm template", values.Note, StringComparison.Ordinal);

        var template = TargetResolver.Resolve(dir.WriteFile("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"));
        Assert.Equal(TargetKind.File, template.Kind);
        Assert.Contains("a template (Helm or Go)", template.Note, StringComparison.Ordinal);

        var kustomization = TargetResolver.Resolve(dir.WriteFile("kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"));
        Assert.Equal(TargetKind.File, kustomization.Kind);
        Assert.Contains("a kustomization", kustomization.Note, StringComparison.Ordinal);

        var json = dir.WriteFile("broken.json", "{\n  \"defaultAction\": \n");
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(json));
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.StartsWith(json + ":", error.Message, StringComparison.Ordinal);

        var tar = TargetResolver.Resolve(dir.WriteFile("image.tar", "x"));
        Assert.Equal(TargetKind.File, tar.Kind);
    }

    [Fact]
    public void The_readme_target_table_names_every_transport_and_kind()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var table = readme[readme.IndexOf("| target | example | detected by |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)].Replace("\\|", "|", StringComparison.Ordinal);
        foreach (var transport in Strata.Oci.Transports.ImageTransports.All)
        {
            Assert.Contains($"`{transport.Syntax}`", table, StringComparison.Ordinal);
            Assert.Contains(transport.DetectedBy, table, StringComparison.Ordinal);
        }

        foreach (var kind in TargetKindNames.All.Where(k => k != "host"))
        {
            Assert.Contains($"`{kind}:", table, StringComparison.Ordinal);
        }
    }
}
