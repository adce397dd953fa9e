namespace Strata.Cli.Tests;

using Strata.Testing;

/// <summary><c>strata fix</c> from the command line: diff on stdout and exit 1, --write in place, --rule, bad input.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FixCommandTests
{
    private const string Broken = "FROM debian:12\nWORKDIR /srv\nRUN apt-get update && apt-get install curl\nADD app.conf /etc/app.conf\nUSER 1000\n";

    [Fact]
    public async Task Prints_a_unified_diff_and_exits_1_leaving_the_file_alone()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("Dockerfile");
        await File.WriteAllTextAsync(path, Broken);
        var result = await CliRunner.RunAsync(["fix", "Dockerfile"], temp.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,5 +1,5 @@\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("+RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("+COPY app.conf /etc/app.conf\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Dockerfile:3: DKF-009", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(Broken, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Write_rewrites_the_file_keeping_its_mode_and_a_second_run_finds_nothing_to_fix()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("Containerfile");
        await File.WriteAllTextAsync(path, Broken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var result = await CliRunner.RunAsync(["fix", "--write", "Containerfile"], temp.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.StdOut);
        Assert.Contains("COPY app.conf", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(temp.Path));
        var again = await CliRunner.RunAsync(["fix", "Containerfile"], temp.Path);
        Assert.Equal(0, again.ExitCode);
        Assert.Empty(again.StdOut);
    }

    [Fact]
    public async Task Rule_limits_the_fixes_and_an_unknown_rule_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("Dockerfile"), Broken);
        var only = await CliRunner.RunAsync(["fix", "--rule", "DKF-004", "Dockerfile"], temp.Path);
        Assert.Equal(1, only.ExitCode);
        Assert.Contains("+COPY app.conf", only.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("no-install-recommends", only.StdOut, StringComparison.Ordinal);
        var unknown = await CliRunner.RunAsync(["fix", "--rule", "DKF-005", "Dockerfile"], temp.Path);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--rule 'DKF-005': no mechanical fix", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_or_missing_dockerfile_fails_with_its_name_and_writes_nothing()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("Dockerfile"), "FROM alpine\nFROBNICATE x\n");
        var broken = await CliRunner.RunAsync(["fix", "--write", "Dockerfile"], temp.Path);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("Dockerfile:2", broken.StdErr, StringComparison.Ordinal);
        Assert.Equal("FROM alpine\nFROBNICATE x\n", await File.ReadAllTextAsync(temp.Combine("Dockerfile")));
        var missing = await CliRunner.RunAsync(["fix", "nope/Dockerfile"], temp.Path);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Dockerfile", missing.StdErr, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task A_secret_is_never_printed_in_the_diff_summary()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.Combine("Dockerfile"), "FROM alpine:3.20\nWORKDIR /srv\nARG GITHUB_TOKEN=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\nRUN ./fetch \"$GITHUB_TOKEN\"\nUSER 1000\n");
        var result = await CliRunner.RunAsync(["fix", "Dockerfile"], temp.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("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", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("+RUN --mount=type=secret,id=github_token,required=true", result.StdOut, StringComparison.Ordinal);
    }
}

/// <summary><c>strata fix --pin-digests</c> against a real docker-registry: the digest is the one skopeo sees for the tag.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FixPinDigestTests
{
    [Fact]
    public async Task From_is_pinned_to_the_digest_the_registry_serves_for_the_tag()
    {
        using var temp = new TempDirectory();
        var image = await ContainerImages.BuildAsync(HardeningImages.Planted);
        Directory.CreateDirectory(temp.Combine("storage"));
        await using var registry = await RegistryServer.StartAsync(temp.Path, temp.Combine("storage"), null);
        var reference = $"{registry.HostPort}/strata/base:1.0";
        await ExternalTool.RunCheckedAsync("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false", image.OciReference, $"docker://{reference}");
        var expected = (await ExternalTool.RunCheckedAsync("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{reference}")).Trim();
        Assert.StartsWith("sha256:", expected, StringComparison.Ordinal);

        await File.WriteAllTextAsync(temp.Combine("Dockerfile"), $"ARG BASE={reference}\nFROM $BASE AS build\nFROM {reference}\nCOPY --from=build /app /app\nUSER 1000\n");
        var result = await CliRunner.RunAsync(["fix", "--pin-digests", "--tls-verify=false", "--rule", "DKF-006", "Dockerfile"], temp.Path);
        Assert.True(result.ExitCode == 1, result.StdErr);
        Assert.Contains($"+FROM {reference}@{expected}\n", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("+FROM $BASE", result.StdOut, StringComparison.Ordinal);
    }
}
