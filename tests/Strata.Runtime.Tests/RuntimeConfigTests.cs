namespace Strata.Runtime.Tests;

using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Config;
using Strata.Testing;

public sealed class RuntimeConfigTests
{
    private static async Task<IReadOnlyList<Core.Findings.Finding>> ScanAsync(string path) =>
        await new RuntimeConfigScanner().ScanAsync(new ScanTarget(TargetKind.RuntimeConfig, path, path), new ScanContext(), CancellationToken.None);

    [Fact]
    public async Task Config_generated_by_runc_spec_gets_the_expected_findings()
    {
        // runc's own template: uid 0, no seccomp, no LSM, no user or cgroup namespace (runc 1.1), no pids limit, but the other namespaces,
        // noNewPrivileges, a read-only root and the masked paths RUN-009 compares with.
        using var dir = new TempDirectory();
        await ExternalTool.RunCheckedAsync("runc", "spec", "--bundle", dir.Path);
        var findings = await ScanAsync(dir.Combine("config.json"));
        Assert.Equal(["LSM-001", "RUN-001", "RUN-003", "RUN-007", "RUN-010"], findings.Select(f => f.RuleId).Distinct().Order().ToArray());
        Assert.Equal(["user", "cgroup"], findings.Where(f => f.RuleId == "RUN-007").Select(f => f.Location.Subject));
    }

    [Fact]
    public async Task Rootless_runc_spec_maps_root_and_is_not_flagged_as_root()
    {
        using var dir = new TempDirectory();
        await ExternalTool.RunCheckedAsync("runc", "spec", "--rootless", "--bundle", dir.Path);
        var findings = await ScanAsync(dir.Combine("config.json"));
        Assert.DoesNotContain(findings, f => f.RuleId == "RUN-001");
    }

    [Fact]
    public async Task Example_config_is_flagged_at_the_right_lines()
    {
        var findings = await ScanAsync(Path.Combine(RepoPaths.Examples, "runtime", "config.json"));
        var ids = findings.Select(f => f.RuleId).ToHashSet();
        Assert.Superset(new HashSet<string> { "RUN-001", "RUN-002", "RUN-003", "RUN-004", "RUN-005", "CAP-002", "LSM-001" }, ids);
        var sysAdmin = Assert.Single(findings, f => f.RuleId == "CAP-002");
        Assert.Equal("CAP_SYS_ADMIN", sysAdmin.Location.Subject);
        Assert.Equal(10, sysAdmin.Location.Line);
        Assert.Equal("pid", Assert.Single(findings, f => f.RuleId == "RUN-005").Location.Subject);
    }

    [Fact]
    public async Task Embedded_seccomp_profile_is_checked_with_its_json_path()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("config.json", """
            {
              "ociVersion": "1.0.2",
              "process": { "user": { "uid": 1000, "gid": 1000 }, "noNewPrivileges": true, "apparmorProfile": "docker-default" },
              "root": { "path": "rootfs", "readonly": true },
              "linux": {
                "namespaces": [ { "type": "pid" }, { "type": "network", "path": "/proc/1/ns/net" }, { "type": "ipc" }, { "type": "uts" }, { "type": "mount" } ],
                "seccomp": { "defaultAction": "SCMP_ACT_ALLOW" }
              }
            }
            """);
        var findings = await ScanAsync(path);
        Assert.Contains(findings, f => f.RuleId == "SCP-001" && f.Location.JsonPath == "$.linux.seccomp.defaultAction" && f.Location.Line == 7);
        var shared = Assert.Single(findings, f => f.RuleId == "RUN-005");
        Assert.Equal("network", shared.Location.Subject);
        Assert.DoesNotContain(findings, f => f.RuleId is "RUN-001" or "RUN-002" or "RUN-003" or "RUN-004" or "LSM-001");
    }
}
