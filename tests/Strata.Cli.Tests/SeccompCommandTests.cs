namespace Strata.Cli.Tests;

using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Testing;

/// <summary><c>strata seccomp</c> end to end, in process; the converted OCI profile is loaded by the real runc.</summary>
public sealed class SeccompCommandTests
{
    private static readonly string MobyDefault = Path.Combine(RepoPaths.Shared, "fixtures", "seccomp", "moby-default.json");

    [Fact]
    public async Task Convert_to_docker_reproduces_moby_default_byte_for_byte()
    {
        using var dir = new TempDirectory();
        var output = dir.Combine("out.json");
        var result = await CliRunner.RunAsync("seccomp", "convert", MobyDefault, "--to", "docker", "-o", output);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(await File.ReadAllBytesAsync(MobyDefault), await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Convert_to_spo_and_back_to_oci_keeps_the_resolved_profile()
    {
        using var dir = new TempDirectory();
        var oci = await CliRunner.RunAsync("seccomp", "convert", MobyDefault, "--to", "oci", "--arch", "aarch64", "--caps", "docker", "--kernel", "6.1");
        Assert.Equal(0, oci.ExitCode);
        Assert.Contains("resolved them for aarch64", oci.StdErr, StringComparison.Ordinal);
        var spoPath = dir.Combine("app.yaml");
        Assert.Equal(0, (await CliRunner.RunAsync("seccomp", "convert", dir.WriteFile("oci.json", oci.StdOut), "--to", "spo", "--name", "app", "-o", spoPath)).ExitCode);
        Assert.Contains("  name: app\n", await File.ReadAllTextAsync(spoPath), StringComparison.Ordinal);
        var back = await CliRunner.RunAsync("seccomp", "convert", spoPath, "--to", "oci");
        Assert.Equal(oci.StdOut, back.StdOut);
        using var json = JsonDocument.Parse(back.StdOut);
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], json.RootElement.GetProperty("architectures").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Resolve_lists_each_syscall_for_the_arch_caps_and_kernel()
    {
        var result = await CliRunner.RunAsync("seccomp", "resolve", MobyDefault, "--arch", "x86_64", "--caps", "CAP_SYS_ADMIN", "--kernel", "4.4");
        Assert.Equal(0, result.ExitCode);
        var lines = result.StdOut.Split('\n');
        Assert.Contains("architectures: SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32", lines);
        Assert.Contains(lines, l => l.StartsWith("mount ", StringComparison.Ordinal) && l.EndsWith("SCMP_ACT_ALLOW", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("ptrace ", StringComparison.Ordinal)); // minKernel 4.8
        Assert.Contains("riscv_hwprobe", result.StdErr, StringComparison.Ordinal); // not an x86 syscall

        var json = await CliRunner.RunAsync("seccomp", "resolve", MobyDefault, "--arch", "s390x", "--caps", "none", "--kernel", "latest", "--format", "json");
        using var document = JsonDocument.Parse(json.StdOut);
        var clone = document.RootElement.GetProperty("syscalls").EnumerateArray().Single(r => r.GetProperty("names")[0].GetString() == "clone");
        Assert.Equal(1, clone.GetProperty("args")[0].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task Lint_reports_scp_rules_and_exits_one_like_scan()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", """
            {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "bpf", "keyctl", "wrtie"], "action": "SCMP_ACT_ALLOW"}]}
            """);
        var lint = await CliRunner.RunAsync("seccomp", "lint", path, "--format", "json");
        Assert.Equal(1, lint.ExitCode);
        using var json = JsonDocument.Parse(lint.StdOut);
        var rules = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).Distinct().Order().ToArray();
        Assert.Equal(["SCP-002", "SCP-004", "SCP-005", "SCP-006"], rules);
        var scan = await CliRunner.RunAsync("scan", "seccomp:" + path, "--format", "json", "--fail-on", "low");
        Assert.Equal(1, scan.ExitCode);
        foreach (var rule in rules)
        {
            Assert.Contains(rule, scan.StdOut, StringComparison.Ordinal);
        }

        Assert.Equal(0, (await CliRunner.RunAsync("seccomp", "lint", MobyDefault)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("seccomp", "lint", path, "--fail-on", "critical")).ExitCode);
    }

    [Fact]
    public async Task Diff_against_the_moby_default_exits_one()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", """
            {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["read", "mount"], "action": "SCMP_ACT_ALLOW"}]}
            """);
        var result = await CliRunner.RunAsync("seccomp", "diff", path, MobyDefault);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("mount\n  a: SCMP_ACT_ALLOW\n  b: SCMP_ACT_ALLOW when caps CAP_SYS_ADMIN\n", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("seccomp", "diff", MobyDefault, MobyDefault)).ExitCode);
    }

    [Theory]
    [InlineData(3, "{\"defaultAction\": \"SCMP_ACT_NOPE\"}", "$.defaultAction is not a seccomp action", "resolve", "--arch", "x86_64")]
    [InlineData(3, "{\"defaultAction\": ", "malformed JSON", "lint")]
    [InlineData(3, "kind: SeccompProfile\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n  - names: [read]\n    action: SCMP_ACT_ALLOW\n    args:\n    - {index: 0, value: 1, op: SCMP_CMP_SOME}\n", ":8: $.spec.syscalls[0].args[0].op", "convert", "--to", "docker")]
    [InlineData(2, "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", "--arch 'vax'", "resolve", "--arch", "vax")]
    [InlineData(2, "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", "--kernel 'new'", "resolve", "--arch", "x86_64", "--kernel", "new")]
    [InlineData(2, "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", "--caps", "resolve", "--arch", "x86_64", "--caps", "CAP_FLY")]
    public async Task Bad_input_and_bad_values_exit_with_a_clear_line(int exitCode, string content, string expected, params string[] command)
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("p.json", content);
        var result = await CliRunner.RunAsync(["seccomp", command[0], path, .. command[1..]]);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seccomp_profile_object_is_scanned_as_a_profile_and_in_a_stream_as_a_manifest()
    {
        using var dir = new TempDirectory();
        const string spo = "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nmetadata:\n  name: open\nspec:\n  defaultAction: SCMP_ACT_ALLOW\n";
        var single = dir.WriteFile("profile.yaml", spo);
        var alone = await CliRunner.RunAsync("scan", "--format", "json", single);
        Assert.Contains("\"kind\": \"seccomp\"", alone.StdOut, StringComparison.Ordinal);
        Assert.Contains("SCP-001", alone.StdOut, StringComparison.Ordinal);

        var stream = dir.WriteFile("stream.yaml", spo + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var mixed = await CliRunner.RunAsync("scan", "--format", "json", stream);
        Assert.Contains("\"kind\": \"k8s\"", mixed.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converted_moby_default_loads_in_runc_and_a_syscall_left_out_fails_with_eperm()
    {
        var converted = await CliRunner.RunAsync("seccomp", "convert", MobyDefault, "--to", "oci", "--caps", "runc");
        Assert.Equal(0, converted.ExitCode);

        var loaded = await RunInRuncAsync(JsonNode.Parse(converted.StdOut)!, "/bin/busybox echo loaded; /bin/busybox mkdir /dev/strata && /bin/busybox echo made");
        Assert.Equal("loaded\nmade\n", loaded.StdOut);

        // The same profile without mkdir and mkdirat: the default action answers them (EPERM).
        var profile = JsonNode.Parse(converted.StdOut)!;
        foreach (var rule in profile["syscalls"]!.AsArray())
        {
            var names = rule!["names"]!.AsArray();
            foreach (var mkdir in names.Where(n => n!.GetValue<string>() is "mkdir" or "mkdirat").ToList())
            {
                names.Remove(mkdir);
            }
        }

        var refused = await RunInRuncAsync(profile, "/bin/busybox echo loaded; /bin/busybox mkdir /dev/strata && /bin/busybox echo made");
        Assert.StartsWith("loaded\n", refused.StdOut, StringComparison.Ordinal);
        Assert.Contains("/dev/strata': Operation not permitted", refused.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("made", refused.StdOut, StringComparison.Ordinal);
    }

    private static async Task<ExternalTool.Result> RunInRuncAsync(JsonNode seccomp, string script)
    {
        using var bundle = new TempDirectory("strata-seccomp");
        Directory.CreateDirectory(bundle.Combine("rootfs/bin"));
        File.Copy("/usr/bin/busybox", bundle.Combine("rootfs/bin/busybox"));
        File.CreateSymbolicLink(bundle.Combine("rootfs/bin/sh"), "busybox");
        await ExternalTool.RunCheckedAsync("runc", "spec", "--bundle", bundle.Path);
        var configPath = bundle.Combine("config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(configPath))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("/bin/sh", "-c", "exec 2>&1; " + script);
        config["linux"]!["seccomp"] = seccomp;
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var state = bundle.Combine("state");
        var id = "strata-seccomp-" + Guid.NewGuid().ToString("N")[..12];
        var run = await ExternalTool.RunAsync("runc", ["--root", state, "run", "--bundle", bundle.Path, id], timeout: TimeSpan.FromMinutes(3));
        await ExternalTool.RunAsync("runc", ["--root", state, "delete", "--force", id]);
        Assert.True(run.StdErr.Length == 0 || !run.StdErr.Contains("error", StringComparison.OrdinalIgnoreCase), run.StdErr);
        return run;
    }
}
