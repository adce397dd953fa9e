namespace Strata.Kubernetes.Tests;

using Microsoft.Extensions.Logging.Abstractions;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Kubernetes.PodSecurity;
using Strata.Testing;

/// <summary>
/// Runs each implemented check against the pod-security-admission conformance fixtures in
/// ../shared/fixtures/pod-security: a fail pod named after the check must be flagged by it; a pass pod
/// must not be flagged by any check that applies at that level and version.
/// </summary>
public sealed class PodSecurityConformanceTests
{
    /// <summary>The Pod Security Standards checks, as the scanner lists them.</summary>
    private static readonly PodSecurityCheck[] Checks = [.. new KubernetesManifestScanner(BuiltInSecrets.Provider).Checks.OfType<PodSecurityCheck>()];

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        var root = Path.Combine(RepoPaths.Shared, "fixtures", "pod-security");
        foreach (var file in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_outcome_matches_upstream(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        var level = parts[0] == "restricted" ? PodSecurityLevel.Restricted : PodSecurityLevel.Baseline;
        var version = Version.Parse(parts[1].TrimStart('v'));
        var expectPass = parts[2] == "pass";
        var name = Path.GetFileNameWithoutExtension(parts[3]);
        var path = Path.Combine(RepoPaths.Shared, "fixtures", "pod-security", relative);

        var pods = PodSpecView.FindAll(YamlSource.Load(path)).ToList();
        Assert.NotEmpty(pods);
        var applicable = Checks.Where(c => c.Level <= level && c.MinimumVersion <= version).ToList();
        var flaggedBy = applicable.Where(c => pods.Any(p => CheckRunner.Run(new Check<PodSpecView>[] { c }, p, new CheckContext(relative), NullLogger.Instance, CancellationToken.None).Count > 0)).Select(c => c.UpstreamId.ToLowerInvariant()).ToList();

        if (expectPass)
        {
            Assert.Empty(flaggedBy);
        }
        else
        {
            var check = applicable.FirstOrDefault(c => name.StartsWith(c.UpstreamId.ToLowerInvariant(), StringComparison.Ordinal));
            if (check is not null)
            {
                Assert.Contains(check.UpstreamId.ToLowerInvariant(), flaggedBy);
            }
        }
    }

    [Fact]
    public void Every_implemented_check_has_failing_fixtures()
    {
        var root = Path.Combine(RepoPaths.Shared, "fixtures", "pod-security");
        var names = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}fail{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        foreach (var check in Checks)
        {
            Assert.Contains(names, n => n!.StartsWith(check.UpstreamId.ToLowerInvariant(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Workload_kinds_expose_their_pod_spec_with_paths_and_lines()
    {
        var source = YamlSource.Parse("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: ops}
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                      - name: job
                        securityContext:
                          privileged: true
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: p}
              spec:
                hostIPC: true
                containers: [{name: c}]
            """, "m.yaml");
        var pods = PodSpecView.FindAll(source).ToList();
        Assert.Equal(["CronJob/ops/nightly", "Pod/p"], pods.Select(p => p.ObjectName).ToArray());
        var privileged = Assert.Single(new Privileged().Evaluate(pods[0], new CheckContext("m.yaml")));
        Assert.Equal("$.spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged", privileged.Location.JsonPath);
        Assert.Equal(12, privileged.Location.Line);
        Assert.Single(new HostNamespaces().Evaluate(pods[1], new CheckContext("m.yaml")));
    }

    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        var error = Assert.Throws<Core.StrataException>(() => YamlSource.Parse("kind: Pod\nspec:\n  containers: [\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml:", error.Message, StringComparison.Ordinal);
    }
}

public sealed class ManifestSecretTests
{
    [Fact]
    public async Task Credentials_in_manifests_are_reported_with_file_and_line_and_redacted()
    {
        using var dir = new TempDirectory();
        const string Token = "xoxb-2934710365-3847102937465-Hq7TzWm4Lp9Xc2Vb8Nd5Rk6J";
        var path = dir.WriteFile("deploy.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: bot
            spec:
              securityContext:
                runAsNonRoot: true
              containers:
              - name: bot
                image: registry.example.com/bot:1
                env:
                - name: SLACK_TOKEN
                  value: {Token}
            """);
        var findings = await new KubernetesManifestScanner(Strata.Testing.BuiltInSecrets.Provider).ScanAsync(new Core.Targets.ScanTarget(Core.Targets.TargetKind.KubernetesManifest, path, path), new Core.Scanning.ScanContext(), CancellationToken.None);
        var secret = Assert.Single(findings, f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal));
        Assert.Equal((path, 13, Core.Findings.StackLayer.Orchestrator), (secret.Location.File!, secret.Location.Line!.Value, secret.Layer));
        Assert.All(findings, f => Assert.DoesNotContain(Token, f.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_objects_data_is_decoded_and_reported_at_its_key()
    {
        using var dir = new TempDirectory();
        const string KeyId = "AKIAQ3EGRJ7SNV4PXW2M";
        var encoded = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(KeyId));
        var path = dir.WriteFile("secrets.yaml", $"""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata:
                name: aws
              data:
                region: ZXUtd2VzdC0x
                aws_access_key_id: {encoded}
            """);
        var findings = await new KubernetesManifestScanner(Strata.Testing.BuiltInSecrets.Provider).ScanAsync(new Core.Targets.ScanTarget(Core.Targets.TargetKind.KubernetesManifest, path, path), new Core.Scanning.ScanContext(), CancellationToken.None);
        var secret = Assert.Single(findings, f => f.RuleId == "SEC-AWS-ACCESS-KEY-ID");
        Assert.Equal((path, 10, "$.items[0].data.aws_access_key_id"), (secret.Location.File!, secret.Location.Line!.Value, secret.Location.JsonPath));
        Assert.All(findings, f => Assert.DoesNotContain(KeyId, f.ToString(), StringComparison.Ordinal));
        Assert.All(findings, f => Assert.DoesNotContain(encoded, f.ToString(), StringComparison.Ordinal));
    }
}
