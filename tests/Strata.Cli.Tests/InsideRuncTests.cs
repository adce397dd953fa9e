namespace Strata.Cli.Tests;

using System.Net.Sockets;
using System.Text.Json.Nodes;
using Strata.Testing;

/// <summary>
/// `strata inside` in real containers: the native binary is copied into a busybox-static root filesystem (with the
/// glibc it links against, as in any glibc-based image), and the real runc runs it in bundles from `runc spec`, each
/// with one setting changed. What Strata reports must be exactly what the bundle asked for.
/// </summary>
public sealed class InsideRuncTests
{
    /// <summary>The sets a capability must be in for the process to use it (runc keeps inheritable and ambient empty).</summary>
    private static readonly string[] AdmittingSets = ["bounding", "effective", "permitted"];

    [Fact]
    public async Task Default_runc_bundle_is_contained_as_its_spec_says()
    {
        var report = await RunInsideAsync(_ => { });

        Assert.True(report["inContainer"]!.GetValue<bool>());
        Assert.False(report["privileged"]!.GetValue<bool>());
        foreach (var type in new[] { "pid", "ipc", "uts" })
        {
            Assert.Equal("separate", Namespace(report, type)["verdict"]!.GetValue<string>());
        }

        // runc spec's template: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE in every set but inheritable and ambient.
        Assert.Equal(["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"], Names(report, "effective"));
        Assert.Equal(["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"], Names(report, "bounding"));
        Assert.Empty(Names(report, "ambient"));
        Assert.Equal(0, report["seccomp"]!["mode"]!.GetValue<int>());
        Assert.True(report["noNewPrivs"]!.GetValue<bool>());
        Assert.DoesNotContain(report["exposures"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "runtime-socket");
        Assert.Equal("the PID namespace is not the host's", report["runtime"]!["evidence"]!.AsArray().Select(e => e!.GetValue<string>()).Single(e => e.StartsWith("the PID", StringComparison.Ordinal)));

        var rules = RuleIds(report);
        Assert.Contains("CTR-011", rules); // no seccomp filter in runc's template
        Assert.DoesNotContain("CTR-013", rules); // noNewPrivileges: true
        Assert.DoesNotContain("CAP-001", rules);
        Assert.DoesNotContain("CTR-001", rules);
        Assert.DoesNotContain("CTR-002", rules);
        Assert.DoesNotContain("CTR-005", rules); // /proc/sys is read-only
    }

    [Fact]
    public async Task Extra_CAP_SYS_ADMIN_is_reported_as_escape_capable()
    {
        var report = await RunInsideAsync(config =>
        {
            foreach (var set in AdmittingSets)
            {
                config["process"]!["capabilities"]![set]!.AsArray().Add("CAP_SYS_ADMIN");
            }
        });

        Assert.Equal(["CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN", "CAP_AUDIT_WRITE"], Names(report, "effective"));
        Assert.Contains("CAP_SYS_ADMIN", report["capabilities"]!["escapeCapable"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("CAP-001", RuleIds(report));
    }

    [Fact]
    public async Task Seccomp_filter_is_seen_and_the_probe_lists_exactly_the_blocked_calls()
    {
        var report = await RunInsideAsync(
            config => config["linux"]!["seccomp"] = JsonNode.Parse("""
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
                  "syscalls": [
                    { "names": ["mount", "unshare", "keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 },
                    { "names": ["bpf"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 },
                    { "names": ["acct"], "action": "SCMP_ACT_KILL_PROCESS" }
                  ]
                }
                """),
            "--probe-syscalls");

        Assert.Equal(2, report["seccomp"]!["mode"]!.GetValue<int>());
        Assert.Equal(1, report["seccomp"]!["filters"]!.GetValue<int>());
        Assert.DoesNotContain("CTR-011", RuleIds(report));
        var calls = report["syscalls"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        foreach (var name in new[] { "mount", "unshare", "keyctl" })
        {
            Assert.Equal("denied", calls[name]["outcome"]!.GetValue<string>());
            Assert.Equal(1, calls[name]["errno"]!.GetValue<int>());
        }

        Assert.Equal("not-implemented", calls["bpf"]["outcome"]!.GetValue<string>());
        Assert.Equal("killed", calls["acct"]["outcome"]!.GetValue<string>());

        // Calls the filter does not name ran (and failed on their harmless arguments), unless a missing capability
        // refused them, which the report says.
        Assert.Equal("allowed", calls["chroot"]["outcome"]!.GetValue<string>());
        Assert.Equal("allowed", calls["umount2"]["outcome"]!.GetValue<string>());
        Assert.Equal("CAP_SYS_ADMIN", calls["sethostname"]["missingCapability"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_new_privileges_off_is_reported()
    {
        var report = await RunInsideAsync(config => config["process"]!["noNewPrivileges"] = false);

        Assert.False(report["noNewPrivs"]!.GetValue<bool>());
        Assert.Contains("CTR-013", RuleIds(report));
    }

    [Fact]
    public async Task Bind_mounted_runtime_socket_is_reported()
    {
        using var host = new TempDirectory();
        var socketPath = host.Combine("docker.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();

        var report = await RunInsideAsync(config => config["mounts"]!.AsArray().Add(JsonNode.Parse($$"""
            { "destination": "/var/run/docker.sock", "type": "bind", "source": "{{socketPath}}", "options": ["rbind", "ro"] }
            """)));

        var socket = Assert.Single(report["exposures"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "runtime-socket")!;
        Assert.Equal("/var/run/docker.sock", socket["path"]!.GetValue<string>());
        Assert.Contains("CTR-002", RuleIds(report));
    }

    private static JsonObject Namespace(JsonObject report, string type) =>
        report["namespaces"]!.AsArray().Select(n => n!.AsObject()).Single(n => n["type"]!.GetValue<string>() == type);

    private static List<string> Names(JsonObject report, string set) =>
        [.. report["capabilities"]![set]!["names"]!.AsArray().Select(n => n!.GetValue<string>())];

    private static List<string> RuleIds(JsonObject report) =>
        [.. report["findings"]!.AsArray().Select(f => f!["ruleId"]!.GetValue<string>())];

    /// <summary>Runs `strata inside --format json` as the process of a runc bundle made by `runc spec` and changed by <paramref name="change"/>.</summary>
    private static async Task<JsonObject> RunInsideAsync(Action<JsonObject> change, params string[] extra)
    {
        var binary = await NativeBinaryTests.BinaryAsync();
        using var bundle = new TempDirectory("strata-runc");
        var rootfs = bundle.Combine("rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
        File.Copy("/usr/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
        File.Copy(binary, Path.Combine(rootfs, "strata"));
        await CopyLibrariesAsync(binary, rootfs);

        var spec = await ExternalTool.RunAsync("runc", ["spec", "--bundle", bundle.Path]);
        Assert.True(spec.ExitCode == 0, "runc spec: " + spec.StdErr);
        var configPath = bundle.Combine("config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray(["/strata", "inside", "--format", "json", .. extra.Select(e => (JsonNode)e)]);
        change(config);
        await File.WriteAllTextAsync(configPath, config.ToJsonString());

        var state = bundle.Combine("state");
        var id = "strata-inside-" + Guid.NewGuid().ToString("N")[..12];
        var run = await ExternalTool.RunAsync("runc", ["--root", state, "run", "--bundle", bundle.Path, id], timeout: TimeSpan.FromMinutes(3));
        await ExternalTool.RunAsync("runc", ["--root", state, "delete", "--force", id]);
        Assert.True(run.ExitCode == 0, $"runc run exited {run.ExitCode}:\n{run.StdOut}\n{run.StdErr}");
        return JsonNode.Parse(run.StdOut)!.AsObject();
    }

    /// <summary>The shared libraries ldd names for <paramref name="binary"/>, copied to the same paths under the root filesystem.</summary>
    private static async Task CopyLibrariesAsync(string binary, string rootfs)
    {
        var ldd = await ExternalTool.RunCheckedAsync("ldd", binary);
        foreach (var line in ldd.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = line.Contains("=>", StringComparison.Ordinal) ? line.Split("=>")[1].Trim().Split(' ')[0] : line.Split(' ')[0];
            if (!path.StartsWith('/') || !File.Exists(path))
            {
                continue;
            }

            var copy = Path.Combine(rootfs, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path, copy, overwrite: true);
        }
    }
}
