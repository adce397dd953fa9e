namespace Strata.Runtime.Tests;

using System.Text.Json.Nodes;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Runtime.Config;
using Strata.Testing;

/// <summary>The config.json rules on configs that start from runc's real template and change what a runtime would.</summary>
public sealed class ConfigRuleTests
{
    private static async Task<IReadOnlyList<Finding>> ScanAsync(string path) =>
        await new RuntimeConfigScanner().ScanAsync(new ScanTarget(TargetKind.RuntimeConfig, path, path), new ScanContext(), CancellationToken.None);

    private static async Task<(TempDirectory Dir, JsonObject Config)> RuncTemplateAsync()
    {
        var dir = new TempDirectory();
        await ExternalTool.RunCheckedAsync("runc", "spec", "--bundle", dir.Path);
        return (dir, Assert.IsType<JsonObject>(JsonNode.Parse(await File.ReadAllTextAsync(dir.Combine("config.json")))));
    }

    private static async Task<IReadOnlyList<Finding>> ScanAsync(TempDirectory dir, JsonObject config)
    {
        var path = dir.WriteFile("config.json", config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return await ScanAsync(path);
    }

    [Fact]
    public async Task Runc_defaults_match_what_the_installed_runc_writes()
    {
        var (dir, config) = await RuncTemplateAsync();
        using (dir)
        {
            Assert.Equal(RuncDefaults.MaskedPaths, config["linux"]!["maskedPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
            Assert.Equal(RuncDefaults.ReadonlyPaths, config["linux"]!["readonlyPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Privileged_equivalent_template_is_flagged_with_its_parts()
    {
        var (dir, config) = await RuncTemplateAsync();
        using (dir)
        {
            // What --privileged does to runc's template: every capability, every device, no masks.
            var all = new JsonArray([.. Kernel.Capabilities.CapabilityCatalog.All.Take(41).Select(c => (JsonNode)c.Name)]);
            config["process"]!["capabilities"]!["bounding"] = all;
            config["linux"]!["resources"] = new JsonObject { ["devices"] = new JsonArray(new JsonObject { ["allow"] = true, ["access"] = "rwm" }) };
            config["linux"]!.AsObject().Remove("maskedPaths");
            config["linux"]!.AsObject().Remove("readonlyPaths");
            var findings = await ScanAsync(dir, config);
            var privileged = Assert.Single(findings, f => f.RuleId == "RUN-006");
            Assert.Contains("every device allowed", privileged.Message, StringComparison.Ordinal);
            Assert.Contains("no masked paths", privileged.Message, StringComparison.Ordinal);
            Assert.Equal(2, findings.Count(f => f.RuleId == "RUN-009"));
            Assert.Single(findings, f => f.RuleId == "RUN-011");
        }
    }

    [Fact]
    public async Task Dropping_one_masked_path_is_named()
    {
        var (dir, config) = await RuncTemplateAsync();
        using (dir)
        {
            config["linux"]!["maskedPaths"] = new JsonArray([.. RuncDefaults.MaskedPaths.Where(p => p != "/proc/kcore").Select(p => (JsonNode)p)]);
            var finding = Assert.Single(await ScanAsync(dir, config), f => f.RuleId == "RUN-009");
            Assert.Equal("Not masked, unlike runc's default: /proc/kcore.", finding.Message);
            Assert.Equal("maskedPaths", finding.Location.Subject);
            Assert.NotNull(finding.Location.Line);
        }
    }

    [Fact]
    public async Task Sensitive_mounts_sysctls_and_devices_are_reported_at_their_lines()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("config.json", """
            {
              "ociVersion": "1.0.2",
              "process": { "user": { "uid": 1000 }, "noNewPrivileges": true },
              "root": { "path": "rootfs", "readonly": true },
              "mounts": [
                { "destination": "/proc", "type": "proc", "source": "proc" },
                { "destination": "/run/containerd/containerd.sock", "type": "bind", "source": "/run/containerd/containerd.sock", "options": ["rbind", "ro"] },
                { "destination": "/kubelet", "source": "/var/lib/kubelet/", "options": ["rbind"] },
                { "destination": "/etc/hosts", "type": "bind", "source": "/var/lib/docker/containers/abc/hosts", "options": ["rbind"] }
              ],
              "linux": {
                "sysctl": { "net.ipv4.ip_unprivileged_port_start": "0", "kernel.core_pattern": "|/x", "net.core.somaxconn": "1024" },
                "devices": [ { "path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11 }, { "path": "/dev/fuse", "type": "c", "major": 10, "minor": 229 } ]
              }
            }
            """);
        var findings = await ScanAsync(path);
        var mounts = findings.Where(f => f.RuleId == "RUN-008").ToList();
        Assert.Equal(["/run/containerd/containerd.sock", "/var/lib/kubelet"], mounts.Select(f => f.Location.Subject));
        Assert.Equal(Severity.Critical, mounts[0].Severity);
        Assert.Contains("(read-only)", mounts[0].Message, StringComparison.Ordinal);
        Assert.Equal(7, mounts[0].Location.Line);
        var sysctls = findings.Where(f => f.RuleId == "RUN-012").ToDictionary(f => f.Location.Subject!, f => f);
        Assert.Equal(["kernel.core_pattern", "net.core.somaxconn"], sysctls.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Severity.High, sysctls["kernel.core_pattern"].Severity);
        Assert.Equal(12, sysctls["kernel.core_pattern"].Location.Line);
        Assert.Equal("/dev/kmsg", Assert.Single(findings, f => f.RuleId == "RUN-011").Location.Subject);
    }

    [Fact]
    public async Task A_wrong_type_fails_the_target_naming_file_line_and_path()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("config.json", "{\n  \"process\": {},\n  \"linux\": {\n    \"maskedPaths\": \"/proc/kcore\"\n  }\n}\n");
        var error = await Assert.ThrowsAsync<StrataException>(() => ScanAsync(path));
        Assert.Equal($"{path}:4: $.linux.maskedPaths: expected an array, found string.", error.Message);
    }
}
