namespace Strata.Kubernetes.Tests;

using Strata.Core.Documents;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.PodSecurity;
using Strata.Testing;

/// <summary>The evaluator's messages in PSA's format, each check's version boundaries, and the scanner's findings.</summary>
public sealed class PodSecurityEvaluatorTests
{
    /// <summary>A pod that every level and version allows; tests add one field to it.</summary>
    private const string Compliant = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: x
            image: app
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop: [ALL]
        """;

    private static PodSpecView Pod(string yaml) => Assert.Single(PodSpecView.FindAll(YamlSource.Parse(yaml, "pod.yaml")));

    private static PodSecurityResult Evaluate(string yaml, string level, string version)
    {
        Assert.True(PodSecurityPolicy.TryParse(level, version, out var policy, out var error), error);
        return PodSecurityEvaluator.Default.Evaluate(Pod(yaml), policy);
    }

    /// <summary>The compliant pod with <paramref name="podFields"/> added to its spec and <paramref name="containerFields"/> to its container's securityContext.</summary>
    private static string With(string podFields = "", string containerFields = "")
    {
        var yaml = Compliant;
        if (podFields.Length > 0)
        {
            yaml = yaml.Replace("spec:\n  securityContext:", "spec:\n" + Indent(podFields, 2) + "\n  securityContext:", StringComparison.Ordinal);
        }

        if (containerFields.Length > 0)
        {
            yaml += "\n" + Indent(containerFields, 6);
        }

        return yaml;

        static string Indent(string text, int spaces) => string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));
    }

    [Fact]
    public void A_bare_pod_is_denied_at_restricted_latest_in_PSA_words()
    {
        var result = Evaluate("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: x\n    image: app\n", "restricted", "latest");
        Assert.False(result.Allowed);
        Assert.Equal(
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"x\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"x\" must set securityContext.capabilities.drop=[\"ALL\"]), "
            + "runAsNonRoot != true (pod or container \"x\" must set securityContext.runAsNonRoot=true), "
            + "seccompProfile (pod or container \"x\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            result.Message);
        Assert.Equal("allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile", result.ForbiddenReason);
    }

    [Fact]
    public void Baseline_checks_come_first_then_restricted_each_in_ID_order_with_plurals()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                container.apparmor.security.beta.kubernetes.io/a: unconfined
            spec:
              hostNetwork: true
              hostIPC: true
              securityContext:
                runAsUser: 0
                sysctls: [{name: kernel.msgmax, value: "1"}, {name: net.ipv4.tcp_syncookies, value: "1"}]
              volumes: [{name: v1, hostPath: {path: /}}, {name: v2, nfs: {server: s, path: /}}]
              initContainers:
              - name: a
                securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN, NET_RAW], drop: [ALL]}, runAsUser: 0}
              containers:
              - name: b
                ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81, hostPort: 81}]
                securityContext: {privileged: true, allowPrivilegeEscalation: false, seLinuxOptions: {type: spc_t, user: u}}
            """;
        var result = Evaluate(yaml, "restricted", "v1.30");
        Assert.Equal(
            "violates PodSecurity \"restricted:v1.30\": "
            + "forbidden AppArmor profile (annotation must not set AppArmor profile type to \"container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"\"), "
            + "host namespaces (hostNetwork=true, hostIPC=true), "
            + "hostPort (container \"b\" uses hostPorts 8080, 81), "
            + "privileged (containers \"a\", \"b\" must not set securityContext.privileged=true), "
            + "seLinuxOptions (container \"b\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set), "
            + "forbidden sysctls (kernel.msgmax), "
            + "allowPrivilegeEscalation != false (container \"a\" must set securityContext.allowPrivilegeEscalation=false), "
            + "unrestricted capabilities (container \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add), "
            + "restricted volume types (volumes \"v1\", \"v2\" use restricted volume types \"hostPath\", \"nfs\"), "
            + "runAsNonRoot != true (pod or containers \"a\", \"b\" must set securityContext.runAsNonRoot=true), "
            + "runAsUser=0 (pod and container \"a\" must not set runAsUser=0), "
            + "seccompProfile (pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            result.Message);
        Assert.DoesNotContain(result.Violations, v => v.Check.UpstreamId is "hostPathVolumes" or "capabilities_baseline" or "seccompProfile_baseline");
    }

    [Fact]
    public void Privileged_level_allows_everything_and_latest_is_the_newest_version()
    {
        var yaml = With("hostPID: true");
        Assert.True(Evaluate(yaml, "privileged", "latest").Allowed);
        Assert.Equal(37, PodSecurityEvaluator.Default.NewestMinor);
        var probe = With(containerFields: "livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}").Replace("      livenessProbe", "    livenessProbe", StringComparison.Ordinal);
        Assert.Equal(Evaluate(probe, "baseline", "v1.37").ForbiddenDetail, Evaluate(probe, "baseline", "latest").ForbiddenDetail);
        Assert.Equal(Evaluate(probe, "baseline", "v1.37").ForbiddenDetail, Evaluate(probe, "baseline", "v1.99").ForbiddenDetail);
    }

    public static TheoryData<string, string, string, int, string?> Boundaries() => new()
    {
        // level, pod YAML, version before the change, its minor, the check denying at that minor (null: allowed from then)
        { "restricted", With(containerFields: "runAsUser: 0"), "v1.22", 23, "runAsUser" },
        { "restricted", Compliant.Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", StringComparison.Ordinal), "v1.7", 8, "allowPrivilegeEscalation" },
        { "restricted", Compliant.Replace("drop: [ALL]", "drop: [NET_RAW]", StringComparison.Ordinal), "v1.21", 22, "capabilities_restricted" },
        { "restricted", Compliant.Replace("type: RuntimeDefault", "type: Localhost\n      localhostProfile: p.json", StringComparison.Ordinal).Replace("    seccompProfile:\n      type: Localhost\n      localhostProfile: p.json\n", string.Empty, StringComparison.Ordinal), "v1.18", 19, "seccompProfile_restricted" },
        { "baseline", With(podFields: "securityContext:\n  seccompProfile: {type: Unconfined}").Replace("  securityContext:\n    runAsNonRoot: true\n    seccompProfile:\n      type: RuntimeDefault\n", string.Empty, StringComparison.Ordinal), "v1.18", 19, "seccompProfile_baseline" },
        { "baseline", With(containerFields: "seLinuxOptions: {type: container_engine_t}"), "v1.30", 31, null },
        { "baseline", With(podFields: "securityContext:\n  sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: \"1\"}]").Replace("  securityContext:\n    runAsNonRoot", "  x:\n    runAsNonRoot", StringComparison.Ordinal), "v1.26", 27, null },
        { "baseline", With(podFields: "securityContext:\n  sysctls: [{name: net.ipv4.tcp_keepalive_time, value: \"1\"}]").Replace("  securityContext:\n    runAsNonRoot", "  x:\n    runAsNonRoot", StringComparison.Ordinal), "v1.28", 29, null },
        { "baseline", With(podFields: "securityContext:\n  sysctls: [{name: net.ipv4.tcp_rmem, value: \"1\"}]").Replace("  securityContext:\n    runAsNonRoot", "  x:\n    runAsNonRoot", StringComparison.Ordinal), "v1.31", 32, null },
        { "baseline", With(podFields: "securityContext:\n  sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: \"1\"}]").Replace("  securityContext:\n    runAsNonRoot", "  x:\n    runAsNonRoot", StringComparison.Ordinal), "v1.36", 37, null },
        { "baseline", With(podFields: "hostUsers: false", containerFields: "procMount: Unmasked"), "v1.34", 35, null },
        { "restricted", With(podFields: "hostUsers: false", containerFields: "runAsNonRoot: false"), "v1.34", 35, null },
        { "restricted", With(podFields: "hostUsers: false", containerFields: "runAsUser: 0"), "v1.34", 35, null },
        { "restricted", "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: x\n", "v1.24", 25, null },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void Each_check_changes_at_the_version_PSA_changes_it(string level, string yaml, string before, int minor, string? deniedBy)
    {
        var earlier = Evaluate(yaml, level, before);
        var from = Evaluate(yaml, level, $"v1.{minor}");
        Assert.NotEqual(earlier.Allowed, from.Allowed);
        if (deniedBy is null)
        {
            Assert.False(earlier.Allowed);
            Assert.True(from.Allowed, from.Message);
        }
        else
        {
            Assert.True(earlier.Allowed, earlier.Message);
            Assert.Equal(deniedBy, Assert.Single(from.Violations).Check.UpstreamId);
        }
    }

    [Fact]
    public void From_v1_35_the_restricted_procMount_check_replaces_the_baseline_one()
    {
        var yaml = With(podFields: "hostUsers: false", containerFields: "procMount: Unmasked");
        Assert.Equal("procMount", Assert.Single(Evaluate(yaml, "restricted", "v1.34").Violations).Check.UpstreamId);
        var violation = Assert.Single(Evaluate(yaml, "restricted", "v1.35").Violations);
        Assert.Equal(("procMount_restricted", "procMount (container \"x\" must not set securityContext.procMount to \"Unmasked\")"), (violation.Check.UpstreamId, violation.Text));
    }

    [Fact]
    public void Host_probes_are_checked_from_v1_34_with_sorted_hosts()
    {
        var yaml = Compliant + "\n    livenessProbe: {httpGet: {host: b.example, port: 80}}\n    readinessProbe: {tcpSocket: {host: a.example, port: 80}}\n    lifecycle: {preStop: {httpGet: {host: b.example, port: 80}}}";
        Assert.True(Evaluate(yaml, "baseline", "v1.33").Allowed);
        var result = Evaluate(yaml, "baseline", "v1.34");
        Assert.Equal("probe or lifecycle host (container \"x\" uses probe or lifecycle hosts \"a.example\", \"b.example\")", Assert.Single(result.Violations).Text);
    }

    [Fact]
    public void Seccomp_annotations_are_read_from_the_template_metadata_before_v1_19_only()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d, annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}
            spec:
              template:
                metadata:
                  annotations:
                    seccomp.security.alpha.kubernetes.io/pod: unconfined
                    container.seccomp.security.alpha.kubernetes.io/x: "local\"host"
                spec:
                  containers: [{name: x}]
            """;
        var result = Evaluate(yaml, "baseline", "v1.18");
        var violation = Assert.Single(result.Violations);
        Assert.Equal("seccompProfile (forbidden annotations container.seccomp.security.alpha.kubernetes.io/x=\"local\\\"host\", seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")", violation.Text);
        Assert.Equal("$.spec.template.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod']", violation.JsonPath);
        Assert.True(Evaluate(yaml, "baseline", "v1.19").Allowed);
    }

    [Fact]
    public void Namespace_labels_follow_PSA_defaults()
    {
        var labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "baseline", ["pod-security.kubernetes.io/enforce-version"] = "v1.25" };
        var policy = PodSecurityNamespacePolicy.FromLabels(labels, PodSecurityPolicy.Default);
        Assert.Equal("baseline:v1.25", policy.Enforce.ToString());
        Assert.Equal("baseline:v1.25", policy.Warn.ToString());
        Assert.Equal(PodSecurityLevel.Privileged, policy.Audit.Level);
        Assert.Empty(policy.Errors);

        var bad = PodSecurityNamespacePolicy.FromLabels(new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "strict", ["pod-security.kubernetes.io/audit-version"] = "v1.07" }, PodSecurityPolicy.Default);
        Assert.Equal("restricted:latest", bad.Enforce.ToString());
        Assert.Equal(2, bad.Errors.Count);
    }

    [Fact]
    public async Task The_scanner_reports_each_violated_check_with_file_line_and_json_path_at_the_namespace_policy()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("app.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              template:
                spec:
                  volumes:
                  - name: root
                    hostPath: {path: /}
                  containers:
                  - name: app
                    image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: tools, namespace: dev}
            spec:
              containers:
              - name: app
                image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {pod-security.kubernetes.io/enforce: baseline}
            """);
        var scanner = new KubernetesManifestScanner(BuiltInSecrets.Provider);
        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, path, path), new ScanContext(), CancellationToken.None);
        var hostPath = Assert.Single(findings, f => f.Location.Subject == "Deployment/shop/web");
        Assert.Equal(("PSS-005", path, 9, "$.spec.template.spec.volumes[0].hostPath"), (hostPath.RuleId, hostPath.Location.File!, hostPath.Location.Line!.Value, hostPath.Location.JsonPath!));
        Assert.Equal("Deployment/shop/web violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"root\")", hostPath.Message);
        Assert.Equal(["PSS-003", "PSS-004", "PSS-015", "PSS-017"], findings.Where(f => f.Location.Subject == "Pod/dev/tools").Select(f => f.RuleId).Order(StringComparer.Ordinal).ToArray());

        var baseline = await scanner.ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, path, path), new ScanContext { PodSecurity = new("baseline", "v1.20") }, CancellationToken.None);
        Assert.DoesNotContain(baseline, f => f.Location.Subject == "Pod/dev/tools");
        await Assert.ThrowsAsync<Core.StrataException>(() => scanner.ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, path, path), new ScanContext { PodSecurity = new("strict", "latest") }, CancellationToken.None));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("v1.0", true)]
    [InlineData("v1.37", true)]
    [InlineData("v1.07", false)]
    [InlineData("v2.1", false)]
    [InlineData("1.30", false)]
    public void Versions_parse_as_PSA_parses_them(string text, bool valid) => Assert.Equal(valid, PodSecurityVersion.TryParse(text, out _));
}

public sealed class PodSecurityYamlTests
{
    [Fact]
    public void Anchors_and_merge_keys_are_read_as_the_API_reads_them()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: a
                securityContext: &hardened
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL]}
              - name: b
                securityContext:
                  <<: *hardened
                  privileged: true
              - name: c
                securityContext:
                  <<: *hardened
                  allowPrivilegeEscalation: true
            """;
        var pod = Assert.Single(PodSpecView.FindAll(YamlSource.Parse(yaml, "pod.yaml")));
        var result = PodSecurityEvaluator.Default.Evaluate(pod, PodSecurityPolicy.Default);
        Assert.Equal(
            "violates PodSecurity \"restricted:latest\": privileged (container \"b\" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false)",
            result.Message);
    }
}
