namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary>A manifest on standard input reaches every scanner of its kind, though a pipe can be read only once.</summary>
public sealed class StandardInputSharedTests
{
    private static readonly string Strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");

    [Fact]
    public async Task A_manifest_on_standard_input_gets_findings_of_both_kubernetes_scanners()
    {
        const string pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
        var result = await ExternalTool.RunAsync("dotnet", [Strata, "scan", "k8s:/dev/stdin", "--format", "json"], stdin: pod);
        Assert.True(result.ExitCode is 0 or 1, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var rules = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToHashSet();
        Assert.Contains("PSS-003", rules);
        Assert.Contains("K8S-003", rules);
    }
}
