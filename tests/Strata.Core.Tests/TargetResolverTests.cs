namespace Strata.Core.Tests;

using Strata.Core.Targets;
using Strata.Testing;

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
        Assert.Equal(TargetKind.RootFs, TargetResolver.Resolve(dir.Path).Kind);
        dir.WriteFile("layout/oci-layout", "{}");
        Assert.Equal("oci:" + dir.Combine("layout"), TargetResolver.Resolve(dir.Combine("layout")).Locator);
    }

    [Fact]
    public void Kind_prefix_and_forced_kind_override_detection()
    {
        using var dir = new TempDirectory();
        var file = dir.WriteFile("profile.txt", "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        Assert.Equal(TargetKind.SeccompProfile, TargetResolver.Resolve("seccomp:" + file).Kind);
        Assert.Equal(TargetKind.KubernetesManifest, TargetResolver.Resolve(file, TargetKind.KubernetesManifest).Kind);
    }

    [Theory]
    [InlineData("./missing/Dockerfile", ExitCode.Usage, "no such file")]
    [InlineData("missing.yaml", ExitCode.Usage, "no such file")]
    [InlineData("Not An Image!", ExitCode.Usage, "not an image reference")]
    [InlineData("dockerfile:/nonexistent/Dockerfile", ExitCode.Usage, "no such file")]
    public void Unknown_or_missing_targets_are_usage_errors(string text, ExitCode code, string message)
    {
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(text));
        Assert.Equal(code, error.ExitCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(text.Split(':').Last(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrecognisable_and_malformed_files_name_the_file()
    {
        using var dir = new TempDirectory();
        var text = dir.WriteFile("notes.txt", "hello");
        Assert.Equal(ExitCode.Usage, Assert.Throws<StrataException>(() => TargetResolver.Resolve(text)).ExitCode);
        var json = dir.WriteFile("broken.json", "{\n  \"defaultAction\": \n");
        var error = Assert.Throws<StrataException>(() => TargetResolver.Resolve(json));
        Assert.Equal(ExitCode.Error, error.ExitCode);
        Assert.StartsWith(json + ":", error.Message, StringComparison.Ordinal);
        var tar = dir.WriteFile("image.tar", "x");
        Assert.Contains("oci-archive:", Assert.Throws<StrataException>(() => TargetResolver.Resolve(tar)).Message, StringComparison.Ordinal);
    }
}
