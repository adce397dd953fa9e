namespace Strata.Runtime.Tests;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Engines;
using Strata.Testing;

/// <summary>
/// The engine audits on the engines' documented default configurations (written out in Engines/, since no engine is
/// installed here to print its own) and on files changed from them.
/// </summary>
public sealed class EngineConfigTests
{
    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "Strata.Runtime.Tests", "Engines", name);

    private static async Task<IReadOnlyList<Finding>> ScanAsync(EngineConfigScanner scanner, string path) =>
        await scanner.ScanAsync(new ScanTarget(scanner.Kinds.Single(), path, path), new ScanContext(), CancellationToken.None);

    private static string[] Ids(IEnumerable<Finding> findings) => [.. findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Containerd_1_7_default_layout_gets_the_default_findings()
    {
        var findings = await ScanAsync(EngineConfigScanner.Containerd(), Fixture("containerd-1.7-default.toml"));
        Assert.Equal(["RUN-201", "RUN-203", "RUN-204", "RUN-206"], Ids(findings));
        var seccomp = Assert.Single(findings, f => f.RuleId == "RUN-201");
        Assert.Equal("$.plugins['io.containerd.grpc.v1.cri'].unset_seccomp_profile", seccomp.Location.JsonPath);
        Assert.Equal(42, seccomp.Location.Line);
        var cgroup = Assert.Single(findings, f => f.RuleId == "RUN-206");
        Assert.Equal("$.plugins['io.containerd.grpc.v1.cri'].containerd.runtimes.runc.options.SystemdCgroup", cgroup.Location.JsonPath);
        Assert.Equal(62, cgroup.Location.Line);
    }

    [Fact]
    public async Task Containerd_2_0_default_layout_reads_the_split_runtime_plugin()
    {
        var findings = await ScanAsync(EngineConfigScanner.Containerd(), Fixture("containerd-2.0-default.toml"));
        Assert.Equal(["RUN-201", "RUN-203", "RUN-204", "RUN-205", "RUN-206"], Ids(findings));
        Assert.All(findings, f => Assert.StartsWith("$.plugins['io.containerd.cri.v1.runtime']", f.Location.JsonPath, StringComparison.Ordinal));
        Assert.Equal(2, findings.Count(f => f.RuleId == "RUN-205"));
    }

    [Fact]
    public async Task Containerd_hardened_from_the_default_is_clean_and_a_v3_file_without_the_keys_gets_the_2_0_defaults()
    {
        using var dir = new TempDirectory();
        var text = (await File.ReadAllTextAsync(Fixture("containerd-2.0-default.toml")))
            .Replace("enable_selinux = false", "enable_selinux = true", StringComparison.Ordinal)
            .Replace("restrict_oom_score_adj = false", "restrict_oom_score_adj = true", StringComparison.Ordinal)
            .Replace("unset_seccomp_profile = \"\"", "unset_seccomp_profile = \"runtime/default\"", StringComparison.Ordinal)
            .Replace("enable_unprivileged_ports = true", "enable_unprivileged_ports = false", StringComparison.Ordinal)
            .Replace("enable_unprivileged_icmp = true", "enable_unprivileged_icmp = false", StringComparison.Ordinal)
            .Replace("SystemdCgroup = false", "SystemdCgroup = true", StringComparison.Ordinal);
        Assert.Empty(await ScanAsync(EngineConfigScanner.Containerd(), dir.WriteFile("config.toml", text)));

        var bare = await ScanAsync(EngineConfigScanner.Containerd(), dir.WriteFile("bare.toml", "version = 3\n"));
        Assert.Equal(2, bare.Count(f => f.RuleId == "RUN-205"));
    }

    [Fact]
    public async Task Docker_containerd_with_the_cri_plugin_disabled_is_not_audited_as_a_kubernetes_runtime()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("config.toml", "#   Copyright 2018-2022 Docker Inc.\ndisabled_plugins = [\"cri\"]\n");
        Assert.Empty(await ScanAsync(EngineConfigScanner.Containerd(), path));
    }

    [Fact]
    public async Task Crio_default_configuration_gets_only_the_defaults_findings()
    {
        var findings = await ScanAsync(EngineConfigScanner.Crio(), Fixture("crio-default.conf"));
        Assert.Equal(["RUN-304", "RUN-306"], Ids(findings));
        Assert.Equal(11, Assert.Single(findings, f => f.RuleId == "RUN-304").Location.Line);
    }

    [Fact]
    public async Task Crio_drop_in_with_dangerous_settings_is_flagged_element_by_element()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("crio.conf.d/10-insecure.conf", """
            [crio.runtime]
            default_capabilities = [
              "CHOWN",
              "SYS_ADMIN",
              "NET_RAW",
            ]
            apparmor_profile = "unconfined"
            seccomp_use_default_when_empty = false
            default_sysctls = ["kernel.panic=1", "net.ipv4.ping_group_range=0 2147483647"]
            pids_limit = -1
            additional_devices = ["/dev/sda:/dev/xvda:rwm"]
            """);
        var findings = await ScanAsync(EngineConfigScanner.Crio(), path);
        Assert.Equal(["CAP_SYS_ADMIN", "CAP_NET_RAW"], findings.Where(f => f.RuleId == "RUN-301").Select(f => f.Location.Subject));
        Assert.Equal([4, 5], findings.Where(f => f.RuleId == "RUN-301").Select(f => f.Location.Line ?? 0));
        Assert.Equal("kernel.panic", Assert.Single(findings, f => f.RuleId == "RUN-307").Location.Subject);
        Assert.Equal(Severity.High, Assert.Single(findings, f => f.RuleId == "RUN-307").Severity);
        Assert.Contains(findings, f => f.RuleId == "RUN-302" && f.Location.Line == 8);
        Assert.Contains(findings, f => f.RuleId == "RUN-303");
        Assert.Contains(findings, f => f.RuleId == "RUN-305");
        Assert.Equal("/dev/sda", Assert.Single(findings, f => f.RuleId == "RUN-308").Location.Subject);
    }

    [Fact]
    public async Task Hardened_daemon_json_is_clean_and_an_exposed_one_is_flagged_at_its_lines()
    {
        Assert.Empty(await ScanAsync(EngineConfigScanner.DockerDaemon(), Fixture("daemon-hardened.json")));

        using var dir = new TempDirectory();
        var path = dir.WriteFile("daemon.json", """
            {
              "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
              "insecure-registries": ["registry.lan:5000"],
              "seccomp-profile": "unconfined"
            }
            """);
        var findings = await ScanAsync(EngineConfigScanner.DockerDaemon(), path);
        Assert.Equal(["RUN-101", "RUN-102", "RUN-103", "RUN-104", "RUN-105", "RUN-106", "RUN-107", "RUN-108"], Ids(findings));
        var tcp = Assert.Single(findings, f => f.RuleId == "RUN-108");
        Assert.Equal(("$.hosts[1]", 2, Severity.Critical), (tcp.Location.JsonPath, tcp.Location.Line ?? 0, tcp.Severity));
        var registry = Assert.Single(findings, f => f.RuleId == "RUN-107");
        Assert.Equal(("$['insecure-registries'][0]", 3), (registry.Location.JsonPath, registry.Location.Line ?? 0));
    }

    [Theory]
    [InlineData("containerd", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n  enable_selinux = \"yes\"\n", "config.toml:3: $.plugins['io.containerd.grpc.v1.cri'].enable_selinux: expected a boolean, found a string.")]
    [InlineData("crio", "[crio.runtime]\ndefault_capabilities = \"SYS_ADMIN\"\n", "crio.conf:2: $.crio.runtime.default_capabilities: expected an array of strings, found a string.")]
    [InlineData("crio", "[crio.runtime]\ndefault_capabilities = [\"CHOWN\", 7]\n", "crio.conf:2: $.crio.runtime.default_capabilities[1]: expected a string, found an integer.")]
    [InlineData("docker", "{\n  \"icc\": \"false\"\n}\n", "daemon.json:2: $.icc: expected a boolean, found a string.")]
    [InlineData("docker", "{\n  \"hosts\": \"tcp://0.0.0.0:2375\"\n}\n", "daemon.json:2: $.hosts: expected an array of strings, found a string.")]
    public async Task A_wrong_type_fails_the_target_naming_file_line_and_key_path(string engine, string text, string expected)
    {
        using var dir = new TempDirectory();
        var (scanner, name) = engine switch
        {
            "containerd" => (EngineConfigScanner.Containerd(), "config.toml"),
            "crio" => (EngineConfigScanner.Crio(), "crio.conf"),
            _ => (EngineConfigScanner.DockerDaemon(), "daemon.json"),
        };
        var path = dir.WriteFile(name, text);
        var error = await Assert.ThrowsAsync<StrataException>(() => ScanAsync(scanner, path));
        Assert.Equal(Path.Combine(dir.Path, expected), error.Message);
    }

    [Theory]
    [InlineData("config.toml", "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"\n  enable_selinux = true\n", ":2: malformed TOML")]
    [InlineData("crio.conf", "[crio.runtime]\nselinux = true\nselinux = false\n", ":3: malformed TOML")]
    [InlineData("daemon.json", "{\n  \"icc\": false,\n  \"hosts\": [\n}\n", ":4: malformed JSON")]
    public async Task A_syntax_error_fails_the_target_with_file_and_line(string name, string text, string expected)
    {
        using var dir = new TempDirectory();
        var scanner = name switch
        {
            "config.toml" => EngineConfigScanner.Containerd(),
            "crio.conf" => EngineConfigScanner.Crio(),
            _ => EngineConfigScanner.DockerDaemon(),
        };
        var path = dir.WriteFile(name, text);
        var error = await Assert.ThrowsAsync<StrataException>(() => ScanAsync(scanner, path));
        Assert.StartsWith(path + expected, error.Message, StringComparison.Ordinal);
    }
}
