namespace Strata.Cli.Tests;

using System.Text.Json.Nodes;
using Strata.Testing;

/// <summary><c>rules list --format json</c> names each rule's peer checks by the peers' own IDs (issue 14).</summary>
public sealed class RulesListEquivalentsTests
{
    [Fact]
    public async Task Rule_list_json_carries_the_equivalents()
    {
        var list = await CliRunner.RunAsync("rules", "list", "--layer", "orchestrator", "--format", "json");
        Assert.Empty(SchemaValidator.ValidateStrataReport(list.StdOut));
        var rules = JsonNode.Parse(list.StdOut)!["rules"]!.AsArray();
        var readOnlyRoot = Assert.Single(rules, r => (string?)r!["id"] == "K8S-003")!;
        var equivalents = readOnlyRoot["equivalents"]!.AsArray().Select(e => (string?)e).ToList();
        Assert.Contains("kubescape C-0017", equivalents);
        Assert.Contains("Polaris notReadOnlyRootFilesystem", equivalents);
        Assert.Contains("kube-linter no-read-only-root-fs", equivalents);
        Assert.Contains("kubesec ReadOnlyRootFilesystem", equivalents);
    }
}
