namespace Strata.Cli.Tests.Targets;

using Strata.Testing;

/// <summary>Issue 8, item 12: error messages that say what is wrong once, and what would be right.</summary>
public sealed class TargetErrorTests
{
    [Theory]
    [InlineData("--formt", "--format")]
    [InlineData("--severty", "--severity")]
    [InlineData("--platfrom", "--platform")]
    public async Task A_mistyped_option_is_an_unknown_option_with_the_nearest_one(string typo, string meant)
    {
        var result = await CliRunner.RunAsync("scan", typo, "json", Path.Combine(RepoPaths.Examples, "Containerfile"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"strata: {typo}: unknown option; did you mean {meant}?\n", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task An_unknown_transport_lists_the_valid_ones()
    {
        var result = await CliRunner.RunAsync("scan", "ocii:/x", "--no-progress");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("strata: ocii:/x: no such file or directory, and 'ocii:' is neither an image transport nor a target kind; did you mean oci:? transports: oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:DIR, docker://REF; kinds: image:, rootfs:, dockerfile:, k8s:, seccomp:, runtime-config:, docker-daemon:, containerd:, crio:, project:, file:.", result.StdErr, StringComparison.Ordinal);

        var image = await CliRunner.RunAsync("image", "inspect", "ocii:/x");
        Assert.Equal(2, image.ExitCode);
        Assert.Contains("oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:DIR, docker://REF", image.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_name_the_target_once()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("layout/oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}");
        dir.WriteFile("layout/index.json", """
            {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
              "digest": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "size": 2,
              "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}
            """);
        var layout = dir.Combine("layout");
        var expected = $"strata: oci:{layout}: no image tagged '3' in index.json (tags: latest).\n";

        var scan = await CliRunner.RunAsync("scan", $"oci:{layout}:3", "--no-progress", "--format", "json");
        Assert.Equal(3, scan.ExitCode);
        Assert.Equal(expected, scan.StdErr);

        var inspect = await CliRunner.RunAsync("image", "inspect", $"oci:{layout}:3");
        Assert.Equal(3, inspect.ExitCode);
        Assert.Equal(expected, inspect.StdErr);
    }
}
