namespace Strata.Kubernetes.Tests;

using Strata.Core.Documents;
using Strata.Kubernetes.PodSecurity;
using Strata.Testing;

/// <summary>
/// Evaluates every pod-security-admission conformance fixture of ../shared/fixtures/pod-security at its folder's level
/// and version: every pass pod allowed, every fail pod denied, and, where the file name's prefix names a check, denied
/// by that check (or by the restricted check that replaces it at that level and version).
/// </summary>
public sealed class PodSecurityConformanceTests
{
    private static readonly string Root = Path.Combine(RepoPaths.Shared, "fixtures", "pod-security");

    [Fact]
    public void Every_fixture_is_allowed_or_denied_as_its_folder_says()
    {
        var evaluator = PodSecurityEvaluator.Default;
        var failures = new List<string>();
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Root, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            Assert.True(PodSecurityPolicy.TryParse(parts[0], parts[1], out var policy, out var error), error);
            var expectAllowed = parts[2] == "pass";
            var prefix = Path.GetFileNameWithoutExtension(parts[3]).TrimEnd("0123456789".ToCharArray());
            var pods = PodSpecView.FindAll(YamlSource.Load(file)).ToList();
            Assert.NotEmpty(pods);
            foreach (var pod in pods)
            {
                count++;
                var result = evaluator.Evaluate(pod, policy);
                if (result.Allowed != expectAllowed)
                {
                    failures.Add($"{relative}: expected {(expectAllowed ? "allowed" : "denied")}, got {(result.Allowed ? "allowed" : result.Message)}");
                    continue;
                }

                var named = evaluator.Checks.FirstOrDefault(c => c.UpstreamId.Equals(prefix, StringComparison.OrdinalIgnoreCase));
                if (!expectAllowed && named is not null && !result.Violations.Any(v => v.Check == named || Overrides(evaluator, policy, v.Check, named)))
                {
                    failures.Add($"{relative}: expected a {named.UpstreamId} violation, got {result.Message}");
                }
            }
        }

        Assert.True(count > 3000, $"only {count} fixtures");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} fixtures disagree with Pod Security Admission:\n" + string.Join('\n', failures.Take(50)));
    }

    [Fact]
    public void Every_check_has_failing_fixtures()
    {
        var names = Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}fail{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetFileNameWithoutExtension(f).TrimEnd("0123456789".ToCharArray()))
            .ToHashSet(StringComparer.Ordinal);
        Assert.All(PodSecurityEvaluator.Default.Checks, check => Assert.Contains(check.UpstreamId.ToLowerInvariant(), names));
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
        var privileged = Assert.Single(new Privileged().Evaluate(pods[0], new Core.Checks.CheckContext("m.yaml")));
        Assert.Equal("$.spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged", privileged.Location.JsonPath);
        Assert.Equal(12, privileged.Location.Line);
        Assert.Single(new HostNamespaces().Evaluate(pods[1], new Core.Checks.CheckContext("m.yaml")));
    }
    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        var error = Assert.Throws<Core.StrataException>(() => YamlSource.Parse("kind: Pod\nspec:\n  containers: [\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml:", error.Message, StringComparison.Ordinal);
    }

    private static bool Overrides(PodSecurityEvaluator evaluator, PodSecurityPolicy policy, PodSecurityCheck check, PodSecurityCheck replaced) =>
        evaluator.ChecksOf(policy).Any(a => a.Check == check && a.Version.Overrides.Contains(replaced.UpstreamId));
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
