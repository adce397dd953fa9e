namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary>
/// The forms Kubernetes manifests come in to <c>strata scan</c>: JSON, v1 <c>List</c> and typed lists (<c>PodList</c>,
/// whose items have no kind), multi-document YAML with anchors and aliases, directories, and Helm/kustomize output
/// on standard input (<c>k8s:-</c>, <c>k8s:/dev/stdin</c>).
/// </summary>
public sealed class K8sManifestInputTests : IDisposable
{
    private const string PrivilegedPodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}""";

    private const string Anchored = """
        # Source: chart/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - name: a
                image: nginx
                securityContext: &privileged
                  privileged: true
              - name: b
                image: nginx
                securityContext: *privileged
        ---
        # Source: chart/templates/pod.yaml
        apiVersion: v1
        kind: Pod
        metadata: {name: e}
        spec:
          hostPID: true
          containers:
          - {name: x, image: nginx}
        """;

    private readonly TempDirectory directory = new("strata-k8s-inputs");

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task JsonListsAndAnchoredYaml()
    {
        var json = directory.WriteFile("pod.json", PrivilegedPodJson);
        var list = directory.WriteFile("list.yaml", $"apiVersion: v1\nkind: List\nitems:\n- {PrivilegedPodJson.Replace("\"p\"", "\"in-list\"", StringComparison.Ordinal)}\n");
        var typed = directory.WriteFile("pods.json", """{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"typed","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}]}""");
        var anchored = directory.WriteFile("anchored.yaml", Anchored);

        var result = await CliRunner.RunAsync("scan", json, list, typed, anchored, "--format", "json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var privileged = Findings(result.StdOut, "PSS-001");
        Assert.Contains(("Pod/ns/p", "$.spec.containers[0].securityContext.privileged"), privileged);
        Assert.Contains(("Pod/ns/in-list", "$.spec.containers[0].securityContext.privileged"), privileged);
        Assert.Contains(("Pod/ns/typed", "$.spec.containers[0].securityContext.privileged"), privileged);
        Assert.Contains(("Deployment/shop/d", "$.spec.template.spec.containers[0].securityContext.privileged"), privileged);
        // One finding per check and pod, at the first offending container, as Pod Security Admission words it.
        Assert.Single(privileged, f => f.Subject == "Deployment/shop/d");
        Assert.Contains(("Pod/e", "$.spec.hostPID"), Findings(result.StdOut, "PSS-002"));
    }

    [Fact]
    public async Task DirectoryOfManifests()
    {
        directory.WriteFile("chart/pod.json", PrivilegedPodJson);
        directory.WriteFile("chart/templates/all.yaml", Anchored);

        var result = await CliRunner.RunAsync("scan", $"k8s:{directory.Combine("chart")}", "--format", "json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(2, Findings(result.StdOut, "PSS-001").Count); // the JSON pod and the Deployment (one per pod)
    }

    [Fact]
    public async Task HelmOutputOnStandardInput()
    {
        var strata = Path.Combine(AppContext.BaseDirectory, "strata.dll");
        foreach (var target in new[] { "k8s:-", "k8s:/dev/stdin" })
        {
            var result = await ExternalTool.RunAsync("dotnet", [strata, "scan", target, "--format", "json", "--fail-on", "CRITICAL"], stdin: Anchored);
            Assert.True(result.ExitCode == 1, result.StdErr);
            Assert.Single(Findings(result.StdOut, "PSS-001")); // the Deployment's two privileged containers: one finding per pod
            Assert.Contains($"\"target\": \"{target}\"", result.StdOut, StringComparison.Ordinal);
        }

        var unnamed = await ExternalTool.RunAsync("dotnet", [strata, "scan", "-"], stdin: Anchored);
        Assert.Contains("k8s:-", unnamed.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, unnamed.ExitCode);
    }

    private static List<(string? Subject, string? JsonPath)> Findings(string json, string rule)
    {
        using var report = JsonDocument.Parse(json);
        return [.. report.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("ruleId").GetString() == rule)
            .Select(f => (f.GetProperty("location").TryGetProperty("subject", out var s) ? s.GetString() : null, f.GetProperty("location").TryGetProperty("jsonPath", out var p) ? p.GetString() : null))];
    }
}
