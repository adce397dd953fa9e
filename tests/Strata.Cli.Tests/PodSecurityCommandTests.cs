namespace Strata.Cli.Tests;

using System.CommandLine;
using System.Text;
using System.Text.Json;
using Strata.Cli.Commands;
using Strata.Testing;

/// <summary><c>strata k8s pss</c>, run through its own command (the lead registers it under <c>strata k8s</c>), and <c>strata scan --pss-level</c>.</summary>
public sealed class PodSecurityCommandTests
{
    private const string Manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: shop}
        spec:
          containers:
          - name: app
            image: nginx
            securityContext: {privileged: true}
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          labels:
            pod-security.kubernetes.io/enforce: baseline
            pod-security.kubernetes.io/audit: restricted
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ok}
        spec:
          securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
          containers:
          - name: c
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        """;

    private static async Task<CliRunner.Result> RunPssAsync(params string[] args)
    {
        using var stdout = new MemoryStream();
        await using var stderr = new StringWriter();
        var io = new CliIo(stdout, stderr);
        var root = new RootCommand { new Command("k8s") { K8sPssCommand.Create(new SharedOptions(), io) } };
        var exit = await root.Parse(["k8s", "pss", .. args]).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = stderr }, CancellationToken.None);
        return new CliRunner.Result(exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public async Task Each_object_gets_PSA_verdict_at_its_namespace_policy_and_denial_exits_1()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("pods.yaml", Manifest);
        var result = await RunPssAsync(path);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"{path}:1 Pod/shop/web: denied: violates PodSecurity \"baseline:latest\": privileged (container \"app\" must not set securityContext.privileged=true)\n"
            + "  audit: would violate PodSecurity \"restricted:latest\": privileged (container \"app\" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container \"app\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")\n"
            + $"{path}:18 Pod/ok: allowed by PodSecurity \"restricted:latest\"\n",
            result.StdOut);
    }

    [Fact]
    public async Task Json_names_each_violation_with_its_rule_path_and_line()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("pods.yaml", Manifest);
        var result = await RunPssAsync(path, "--format", "json", "--level", "baseline", "--version", "v1.20");
        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.StdOut);
        var first = document.RootElement[0];
        Assert.False(first.GetProperty("allowed").GetBoolean());
        var violation = first.GetProperty("violations")[0];
        Assert.Equal(("privileged", "PSS-001", "$.spec.containers[0].securityContext.privileged", 8), (violation.GetProperty("check").GetString(), violation.GetProperty("ruleId").GetString(), violation.GetProperty("jsonPath").GetString(), violation.GetProperty("line").GetInt32()));
        Assert.Equal("baseline:v1.20", document.RootElement[1].GetProperty("policy").GetString());
        Assert.True(document.RootElement[1].GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task A_bad_version_is_a_usage_error()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("pods.yaml", Manifest);
        Assert.Equal(2, (await CliRunner.RunAsync("scan", path, "--pss-version", "1.30")).ExitCode);
        Assert.NotEqual(0, (await RunPssAsync(path, "--version", "v1.030")).ExitCode);
    }

    [Fact]
    public async Task Scan_evaluates_manifests_at_the_level_given()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n");
        var restricted = await CliRunner.RunAsync("scan", path, "--format", "json");
        Assert.Contains("\"PSS-003\"", restricted.StdOut, StringComparison.Ordinal);
        var baseline = await CliRunner.RunAsync("scan", path, "--format", "json", "--pss-level", "baseline");
        Assert.DoesNotContain("\"PSS-0", baseline.StdOut, StringComparison.Ordinal);
    }
}
