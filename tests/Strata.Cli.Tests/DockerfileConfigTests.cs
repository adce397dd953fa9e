namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary><c>strata scan --dockerfile-config</c> and the working directory's .hadolint.yaml.</summary>
public sealed class DockerfileConfigTests
{
    private const string Dockerfile = "FROM quay.io/acme/base:1.0@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf\nLABEL org.opencontainers.image.source=not-a-url\nUSER 10001\nHEALTHCHECK NONE\n";

    [Fact]
    public async Task A_hadolint_yaml_in_the_working_directory_is_used_and_dockerfile_config_overrides_it()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Dockerfile", Dockerfile);
        dir.WriteFile(".hadolint.yaml", "ignored: [DL3008]\ntrustedRegistries: [docker.io]\n");
        dir.WriteFile("labels.yml", "label-schema:\n  org.opencontainers.image.source: url\n");

        var none = await CliRunner.RunAsync(["scan", "dockerfile:" + dir.Combine("Dockerfile"), "--format", "json", "--no-progress"], Path.GetTempPath());
        Assert.True(none.ExitCode == 0, none.StdErr);
        Assert.DoesNotContain("DKF-055", none.StdOut, StringComparison.Ordinal);

        var byDefault = await CliRunner.RunAsync(["scan", dir.Combine("Dockerfile"), "--format", "json", "--no-progress"], dir.Path);
        Assert.True(byDefault.ExitCode == 0, byDefault.StdErr);
        Assert.Contains("DKF-055", byDefault.StdOut, StringComparison.Ordinal);
        Assert.Contains(".hadolint.yaml", byDefault.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("DKF-065", byDefault.StdOut, StringComparison.Ordinal);

        var given = await CliRunner.RunAsync(["scan", dir.Combine("Dockerfile"), "--dockerfile-config", "labels.yml", "--format", "json", "--no-progress"], dir.Path);
        Assert.True(given.ExitCode == 0, given.StdErr);
        Assert.DoesNotContain("DKF-055", given.StdOut, StringComparison.Ordinal);
        Assert.Contains("DKF-065", given.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.yaml", null, "Dockerfile lint configuration not found")]
    [InlineData("bad.yaml", "trustedRegistries: [docker.io]\nstrict-label: true\n", "bad.yaml:2: unknown key 'strict-label'")]
    [InlineData("bad.yaml", "label-schema:\n  owner: name\n", "unknown type 'name'")]
    [InlineData("bad.yaml", "trustedRegistries: [docker.io\n", "malformed YAML")]
    public async Task A_bad_dockerfile_config_stops_the_scan_with_exit_code_2(string name, string? content, string message)
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Dockerfile", Dockerfile);
        if (content is not null)
        {
            dir.WriteFile(name, content);
        }

        var result = await CliRunner.RunAsync(["scan", dir.Combine("Dockerfile"), "--dockerfile-config", name], dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Help_describes_the_option()
    {
        var result = await CliRunner.RunAsync("scan", "--help");
        Assert.Contains("--dockerfile-config", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(".hadolint.yaml", result.StdOut, StringComparison.Ordinal);
    }
}
