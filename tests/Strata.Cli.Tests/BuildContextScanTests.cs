namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary>
/// <c>strata scan Dockerfile --context DIR</c> and a Dockerfile found in a scanned directory: what the build copies from
/// its context is checked, each secret reported once on its file and once on the instruction that copies it, never in full.
/// </summary>
public sealed class BuildContextScanTests : IDisposable
{
    private const string Token = "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";

    private readonly TempDirectory temp = new("strata-context-scan");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_secret_in_a_copied_file_is_reported_on_the_file_and_on_the_copy_redacted()
    {
        var context = temp.Combine("ctx");
        temp.WriteFile("ctx/.env", $"GITHUB_TOKEN={Token}\n");
        temp.WriteFile("ctx/src/app.py", "print(1)\n");
        var dockerfile = temp.WriteFile("ctx/Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY src/ ./src/\nCOPY . .\nUSER 10001\n");
        var result = await CliRunner.RunAsync("scan", dockerfile, "--context", context, "--format", "json", "--no-progress", "--fail-on", "high");
        Assert.True(result.ExitCode == 1, result.StdErr);
        Assert.DoesNotContain(Token[4..], result.StdOut, StringComparison.Ordinal);
        var findings = Findings(result.StdOut);
        var copy = Assert.Single(findings, f => f.Rule == "DKF-080");
        Assert.Equal((dockerfile, 4), (copy.File, copy.Line));
        Assert.Contains($"copies {context}/.env to /app/.env", copy.Message, StringComparison.Ordinal);
        var secret = Assert.Single(findings, f => f.Rule == "SEC-GITHUB-CLASSIC-PAT");
        Assert.Equal(($"{context}/.env", 1), (secret.File, secret.Line));
        Assert.Contains(findings, f => f.Rule == "DKF-081" && f.Line == 4 && f.Message.Contains($"{context}/.env", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_context_the_build_context_rules_only_read_the_Dockerfile()
    {
        temp.WriteFile("ctx/.env", $"GITHUB_TOKEN={Token}\n");
        var dockerfile = temp.WriteFile("ctx/Dockerfile", "FROM python:3.12-slim\nCOPY . /app/\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz && rm /tmp/app.tar.gz\n");
        var result = await CliRunner.RunAsync("scan", dockerfile, "--format", "json", "--no-progress");
        var findings = Findings(result.StdOut);
        Assert.DoesNotContain(findings, f => f.Rule is "DKF-080" or "DKF-081" || f.Rule.StartsWith("SEC-", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Rule == "DKF-082" && f.Line == 4);
    }

    [Fact]
    public async Task A_Dockerfile_in_a_scanned_directory_has_its_directory_as_context_and_each_secret_is_reported_once()
    {
        temp.WriteFile("repo/app/.env", $"GITHUB_TOKEN={Token}\n");
        temp.WriteFile("repo/app/node_modules/pkg/.npmrc", $"//registry.example.com/:_authToken={Token}\n");
        temp.WriteFile("repo/app/Dockerfile", "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER 10001\n");
        temp.WriteFile("repo/other/Dockerfile", "FROM node:22-slim\nCOPY . /srv/\nUSER 10001\n");
        var repo = temp.Combine("repo");
        var result = await CliRunner.RunAsync("scan", repo, "--format", "json", "--no-progress");
        var findings = Findings(result.StdOut);
        var dockerfile = $"{repo}/app/Dockerfile";

        // Both copied secrets, on the COPY; .env's own finding comes from the tree, node_modules' (not part of the tree's scan) from the build.
        Assert.Equal(["/app/.env", "/app/node_modules/pkg/.npmrc"], findings.Where(f => f.Rule == "DKF-080").Select(f => f.Path).Order());
        Assert.Single(findings, f => f.Rule == "SEC-GITHUB-CLASSIC-PAT" && f.File == $"{repo}/app/.env");
        Assert.Single(findings, f => f.Rule.StartsWith("SEC-", StringComparison.Ordinal) && f.File == $"{repo}/app/node_modules/pkg/.npmrc" && f.Target == dockerfile);
        Assert.Contains(findings, f => f.Rule == "DKF-081" && f.Target == dockerfile && f.Message.Contains("node_modules/ (1 file)", StringComparison.Ordinal));

        // The other Dockerfile's context is its own directory: nothing of app/ is copied there.
        Assert.DoesNotContain(findings, f => f.Target == $"{repo}/other/Dockerfile" && f.Rule is "DKF-080" or "DKF-081");
    }

    [Fact]
    public async Task A_malformed_ignore_file_leaves_the_Dockerfile_rules_and_warns()
    {
        temp.WriteFile("ctx/.dockerignore", "[unclosed\n");
        var dockerfile = temp.WriteFile("ctx/Dockerfile", "FROM debian:12\nCOPY . /app/\n");
        var result = await CliRunner.RunAsync("scan", dockerfile, "--context", temp.Combine("ctx"), "--no-progress");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("the build context was not evaluated", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(".dockerignore: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("DKF-077", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_is_a_usage_error_without_a_Dockerfile_or_a_directory()
    {
        var dockerfile = temp.WriteFile("Dockerfile", "FROM debian:12\n");
        var missing = await CliRunner.RunAsync("scan", dockerfile, "--context", temp.Combine("nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--context", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("no such directory", missing.StdErr, StringComparison.Ordinal);

        var pod = temp.WriteFile("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n");
        var noDockerfile = await CliRunner.RunAsync("scan", pod, "--context", temp.Path);
        Assert.Equal(2, noDockerfile.ExitCode);
        Assert.Contains("no Dockerfile was named", noDockerfile.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_context_option()
    {
        var help = await CliRunner.RunAsync("scan", "--help");
        Assert.Contains("--context <dir>", help.StdOut, StringComparison.Ordinal);
        Assert.Contains(".dockerignore", help.StdOut, StringComparison.Ordinal);
    }

    private sealed record Found(string Rule, string Target, string? File, int? Line, string? Path, string Message);

    private static List<Found> Findings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
        {
            var location = f.GetProperty("location");
            return new Found(
                f.GetProperty("ruleId").GetString()!,
                f.GetProperty("target").GetString()!,
                location.TryGetProperty("file", out var file) ? file.GetString() : null,
                location.TryGetProperty("line", out var line) ? line.GetInt32() : null,
                location.TryGetProperty("path", out var path) ? path.GetString() : null,
                f.GetProperty("message").GetString()!);
        })];
    }
}
