namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Engine;
using Strata.Testing;

public sealed class ScanCommandTests
{
    private static readonly string[] SarifLevels = ["error", "warning", "note"];

    [Fact]
    public async Task Default_scan_reports_every_layer_of_the_example_workload()
    {
        var result = await CliRunner.RunAsync("scan", "--no-progress");
        Assert.Equal(0, result.ExitCode);
        foreach (var layer in new[] { "Layer: image", "Layer: runtime", "Layer: orchestrator" })
        {
            Assert.Contains(layer, result.StdOut, StringComparison.Ordinal);
        }

        Assert.Matches(@"│ host +│ host +│", result.StdOut);
        Assert.Matches(@"│ examples/k8s/deployment.yaml +│ k8s +│ \d+ findings", result.StdOut);
        Assert.All(result.StdOut.Split('\n'), l => Assert.True(l.Length <= 80, l));
        Assert.True(result.StdOut.IndexOf("Layer: image", StringComparison.Ordinal) < result.StdOut.IndexOf("Layer: orchestrator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sarif_output_is_valid_and_lists_the_catalog()
    {
        var result = await CliRunner.RunAsync("scan", "--format", "sarif");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(SchemaValidator.ValidateSarif(result.StdOut));

        using var sarif = JsonDocument.Parse(result.StdOut);
        var run = sarif.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var catalog = ScannerRegistry.CreateDefault().Catalog;
        Assert.Equal(catalog.Rules.Select(r => r.Id), rules.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rules, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("help").GetProperty("text").GetString()));
            Assert.True(r.GetProperty("properties").TryGetProperty("family", out _));
            Assert.True(r.GetProperty("properties").TryGetProperty("layer", out _));
        });

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.NotEmpty(results);
        Assert.All(results, r =>
        {
            Assert.Contains(r.GetProperty("level").GetString(), SarifLevels);
            var id = r.GetProperty("ruleId").GetString()!;
            Assert.Equal(id, rules[r.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("message").GetProperty("text").GetString()));
            Assert.NotEqual(0, r.GetProperty("locations").GetArrayLength());
        });
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "PSS-001" && r.GetProperty("level").GetString() == "error"
            && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32() == 25);
    }

    [Fact]
    public async Task Json_output_is_valid_against_the_documented_schema()
    {
        var result = await CliRunner.RunAsync("scan", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(SchemaValidator.ValidateStrataReport(result.StdOut));
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("2.0", json.RootElement.GetProperty("schemaVersion").GetString());
        Assert.Equal("scan", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(json.RootElement.GetProperty("findings").GetArrayLength(), json.RootElement.GetProperty("summary").EnumerateObject().Where(p => p.Name != "suppressed").Sum(p => p.Value.GetInt32()));
    }

    [Fact]
    public async Task Fail_on_sets_exit_1_only_at_or_above_the_threshold()
    {
        var k8s = Path.Combine(RepoPaths.Examples, "k8s", "deployment.yaml");
        Assert.Equal(1, (await CliRunner.RunAsync("scan", k8s, "--fail-on", "CRITICAL")).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync("scan", k8s, "--fail-on", "medium")).ExitCode);
        var seccomp = Path.Combine(RepoPaths.Examples, "seccomp", "profile.json");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", seccomp, "--fail-on", "CRITICAL")).ExitCode);
        Assert.Equal(1, (await CliRunner.RunAsync("scan", seccomp, "--fail-on", "HIGH")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("scan", Path.Combine(RepoPaths.Shared, "fixtures", "seccomp", "moby-default.json"), "--fail-on", "INFO")).ExitCode);
    }

    [Fact]
    public async Task Strataignore_suppresses_until_it_expires()
    {
        using var dir = new TempDirectory();
        var k8s = Path.Combine(RepoPaths.Examples, "k8s", "deployment.yaml");
        dir.WriteFile(".strataignore", """
            - id: PSS-001
              reason: the node agent needs it
              expires: 2026-12-31
            """);

        var before = await CliRunner.RunAsync(["scan", k8s, "--fail-on", "CRITICAL", "--format", "json"], dir.Path, new DateOnly(2026, 12, 31));
        Assert.Equal(0, before.ExitCode);
        using (var json = JsonDocument.Parse(before.StdOut))
        {
            var suppressed = Assert.Single(json.RootElement.GetProperty("suppressed").EnumerateArray());
            Assert.Equal("the node agent needs it", suppressed.GetProperty("reason").GetString());
        }

        var after = await CliRunner.RunAsync(["scan", k8s, "--fail-on", "CRITICAL"], dir.Path, new DateOnly(2027, 1, 1));
        Assert.Equal(1, after.ExitCode);
        Assert.Contains(".strataignore:1: ignore entry for PSS-001 expired on 2026-12-31", after.StdErr, StringComparison.Ordinal);

        // An explicit --ignore-file wins over the default; a path glob limits an entry.
        var other = dir.WriteFile("other.yaml", "- id: PSS-001\n  paths: [\"nowhere/**\"]\n  reason: r\n");
        Assert.Equal(1, (await CliRunner.RunAsync(["scan", k8s, "--fail-on", "CRITICAL", "--ignore-file", other], dir.Path, new DateOnly(2026, 1, 1))).ExitCode);
    }

    [Fact]
    public async Task Severity_filter_and_output_file()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("report.json");
        var result = await CliRunner.RunAsync("scan", Path.Combine(RepoPaths.Examples, "runtime", "config.json"), "--severity", "LOW,high", "--format", "json", "--output", output);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Equal(["report.json"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)).ToArray());
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var severities = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("severity").GetString() ?? string.Empty).Distinct().Order().ToArray();
        Assert.Equal(["HIGH", "LOW"], severities);
    }

    [Theory]
    [InlineData(2, "unknown-kind", "scan", "--kind", "unknown-kind", "x")]
    [InlineData(2, "--fail-on 'SEVERE'", "scan", "host", "--fail-on", "SEVERE")]
    [InlineData(2, "--format xml: scan writes table, json or sarif.", "scan", "host", "--format", "xml")]
    [InlineData(2, "--bogus", "scan", "--bogus")]
    [InlineData(2, "ignore file not found", "scan", "host", "--ignore-file", "/nonexistent/.strataignore")]
    public async Task Usage_errors_exit_2_with_one_clear_line(int code, string message, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(code, result.ExitCode);
        Assert.Contains(message, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Malformed_input_exits_3_naming_file_and_line_and_debug_adds_the_trace()
    {
        using var dir = new TempDirectory();
        var profile = dir.WriteFile("seccomp.json", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [ { \"names\": 7, \"action\": \"SCMP_ACT_ALLOW\" } ]\n}");
        var result = await CliRunner.RunAsync("scan", "seccomp:" + profile, "--format", "json");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"strata: {profile}:3: $.syscalls[0].names must be an array", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(result.StdOut))
        {
            Assert.Contains("$.syscalls[0].names", json.RootElement.GetProperty("targets")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var yaml = dir.WriteFile("pod.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n");
        var bad = await CliRunner.RunAsync("scan", yaml);
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains(yaml + ":", bad.StdErr, StringComparison.Ordinal);

        var debug = await CliRunner.RunAsync("scan", "seccomp:" + profile, "--debug");
        Assert.Contains("   at ", debug.StdErr, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync("scan", "/nonexistent/Dockerfile");
        Assert.Equal(3, missing.ExitCode);
        Assert.Equal("strata: /nonexistent/Dockerfile: no such file or directory, and not an image reference.\n", missing.StdErr);
    }

    [Fact]
    public async Task Sarif_from_a_failed_target_is_still_valid()
    {
        using var dir = new TempDirectory();
        var broken = dir.WriteFile("config.json", "{\"ociVersion\": \"1.0.2\", \"process\": {}, \"root\": [}");
        var result = await CliRunner.RunAsync("scan", "runtime-config:" + broken, Path.Combine(RepoPaths.Examples, "Containerfile"), "--format", "sarif");
        Assert.Equal(3, result.ExitCode);
        Assert.Empty(SchemaValidator.ValidateSarif(result.StdOut));
        Assert.Contains("\"executionSuccessful\": false", result.StdOut, StringComparison.Ordinal);
    }
}

public sealed class SchemaValidatorTests
{
    [Fact]
    public async Task Validators_reject_broken_documents()
    {
        var sarif = (await CliRunner.RunAsync("scan", "--format", "sarif")).StdOut;
        Assert.NotEmpty(SchemaValidator.ValidateSarif(sarif.Replace("\"level\": \"error\"", "\"level\": \"fatal\"", StringComparison.Ordinal)));
        Assert.NotEmpty(SchemaValidator.ValidateSarif(sarif.Replace("\"version\": \"2.1.0\"", "\"version\": \"2.0\"", StringComparison.Ordinal)));

        var json = (await CliRunner.RunAsync("scan", "--format", "json")).StdOut;
        Assert.NotEmpty(SchemaValidator.ValidateStrataReport(json.Replace("\"severity\": \"HIGH\"", "\"severity\": \"SEVERE\"", StringComparison.Ordinal)));
    }
}
