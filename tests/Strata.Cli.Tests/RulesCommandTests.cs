namespace Strata.Cli.Tests;

using System.Text.Json.Nodes;
using Strata.Engine;
using Strata.Testing;

public sealed class RulesCommandTests
{
    [Fact]
    public async Task List_shows_every_rule_and_filters_by_layer()
    {
        var catalog = ScannerRegistry.CreateDefault().Catalog;
        var all = await CliRunner.RunAsync("rules", "list");
        Assert.Equal(0, all.ExitCode);
        Assert.All(catalog.Rules, r => Assert.Contains(r.Id, all.StdOut, StringComparison.Ordinal));
        Assert.Contains($"{catalog.Rules.Count} rules", all.StdOut, StringComparison.Ordinal);

        var kernel = await CliRunner.RunAsync("rules", "list", "--layer", "kernel", "--format", "json");
        Assert.Empty(SchemaValidator.ValidateStrataReport(kernel.StdOut));
        var json = JsonNode.Parse(kernel.StdOut)!;
        Assert.Equal("rule-list", (string?)json["kind"]);
        Assert.Equal("kernel", (string?)json["layer"]);
        var ids = json["rules"]!.AsArray().Select(r => (string?)r!["id"]).ToList();
        Assert.Contains("KRN-001", ids);
        Assert.DoesNotContain("PSS-001", ids);
        Assert.All(json["rules"]!.AsArray(), r => Assert.Equal("kernel", (string?)r!["layer"]));
    }

    [Fact]
    public async Task Explain_prints_the_rule_page_and_unknown_ids_are_usage_errors()
    {
        var explain = await CliRunner.RunAsync("rules", "explain", "SCP-001");
        Assert.Equal(0, explain.ExitCode);
        Assert.Contains("## Fix", explain.StdOut, StringComparison.Ordinal);
        Assert.Contains("SCMP_ACT_ERRNO", explain.StdOut, StringComparison.Ordinal);
        var unknown = await CliRunner.RunAsync("rules", "explain", "NOPE-1");
        Assert.Equal(2, unknown.ExitCode);

        var json = await CliRunner.RunAsync("rules", "explain", "SCP-001", "--format", "json");
        Assert.Empty(SchemaValidator.ValidateStrataReport(json.StdOut));
        var rule = JsonNode.Parse(json.StdOut)!["rule"]!;
        Assert.Equal("SCP-001", (string?)rule["id"]);
        Assert.Contains(rule["examples"]!.AsArray(), e => (bool)e!["flagged"]!);
    }

    [Fact]
    public void Generated_rule_docs_are_up_to_date()
    {
        var pages = RuleDocs.Generate(ScannerRegistry.CreateDefault().Catalog);
        var stale = RuleDocs.Compare(pages, Path.Combine(RepoPaths.Root, "docs", "rules"));
        Assert.True(stale.Count == 0, "docs/rules is stale; regenerate with: dotnet run --project src/Strata.Cli -- rules docs docs/rules\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task Docs_check_detects_a_stale_page()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await CliRunner.RunAsync("rules", "docs", dir.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("rules", "docs", dir.Path, "--check")).ExitCode);
        File.AppendAllText(dir.Combine("KRN-001.md"), "edited by hand\n");
        var check = await CliRunner.RunAsync("rules", "docs", dir.Path, "--check");
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("KRN-001.md: out of date", check.StdErr, StringComparison.Ordinal);
    }
}
