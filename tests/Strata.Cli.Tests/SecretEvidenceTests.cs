namespace Strata.Cli.Tests;

using System.Text.Json.Nodes;
using Strata.Testing;

/// <summary>
/// Each secret finding says what kind of evidence identified it, in the JSON report and in SARIF, and
/// <c>--fail-on-evidence</c> lets a pipeline fail only on the stronger kinds.
/// </summary>
public sealed class SecretEvidenceTests
{
    [Fact]
    public async Task Json_and_sarif_carry_the_evidence_kind_and_fail_on_evidence_filters_the_exit_code()
    {
        using var dir = new TempDirectory();
        var token = SecretTokens.WithChecksum("ghp_", "Kq9XwB4mZt6Lp0sVc8Nf3Hy5Ju4Xjl");
        dir.WriteFile("tree/app/.env", $"GITHUB_TOKEN={token}\nDB_PASSWORD=Vq7pLm2XzR9t!kW\n");
        dir.WriteFile("weak/app/.env", "DB_PASSWORD=Vq7pLm2XzR9t!kW\n");

        var json = await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("tree"), "--format", "json", "--no-progress"], dir.Path);
        Assert.Equal(0, json.ExitCode);
        var kinds = JsonNode.Parse(json.StdOut)!["findings"]!.AsArray()
            .Where(f => ((string?)f!["ruleId"])!.StartsWith("SEC-", StringComparison.Ordinal))
            .Select(f => $"{f!["ruleId"]} {f["evidence"]?["kind"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["SEC-GENERIC-PASSWORD keyword-entropy", "SEC-GITHUB-CLASSIC-PAT checksum-validated"], kinds);
        Assert.Empty(SchemaValidator.ValidateStrataReport(json.StdOut));

        var sarif = await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("tree"), "--format", "sarif", "--no-progress"], dir.Path);
        var properties = JsonNode.Parse(sarif.StdOut)!["runs"]![0]!["results"]!.AsArray()
            .Where(r => ((string?)r!["ruleId"])!.StartsWith("SEC-", StringComparison.Ordinal))
            .Select(r => (string?)r!["properties"]!["evidenceKind"]).Order(StringComparer.Ordinal);
        Assert.Equal(["checksum-validated", "keyword-entropy"], properties);
        Assert.Empty(SchemaValidator.ValidateSarif(sarif.StdOut));

        // Alone, --fail-on-evidence implies --fail-on LOW; a weaker secret does not fail the run, a strong one does.
        Assert.Equal(1, (await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("tree"), "--fail-on-evidence", "provider-pattern", "--no-progress", "-q"], dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("weak"), "--fail-on-evidence", "provider-pattern", "--no-progress", "-q"], dir.Path)).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("weak"), "--fail-on-evidence", "keyword-entropy", "--no-progress", "-q"], dir.Path)).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("tree"), "--fail-on", "CRITICAL", "--fail-on-evidence", "checksum-validated", "--no-progress", "-q"], dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("weak"), "--fail-on", "HIGH", "--fail-on-evidence", "structured", "--no-progress", "-q"], dir.Path)).ExitCode);

        var usage = await CliRunner.RunAsync(["scan", "rootfs:" + dir.Combine("tree"), "--fail-on-evidence", "strong", "--no-progress"], dir.Path);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("keyword-entropy, provider-pattern, structured, checksum-validated", usage.StdErr, StringComparison.Ordinal);
    }
}
