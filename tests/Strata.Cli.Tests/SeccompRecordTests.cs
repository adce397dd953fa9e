namespace Strata.Cli.Tests;

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Strata.Runtime.Recording;
using Strata.Testing;

/// <summary>
/// `strata seccomp record` and `strata apparmor generate` with the real tools: programs are recorded with strace, the
/// profiles are put into OCI bundles and run by the real runc (the program still works, a syscall left out fails with
/// EPERM), the runc baseline is derived again from the installed runc, and the AppArmor drafts pass apparmor_parser.
/// </summary>
public sealed class SeccompRecordTests
{
    private const string ProbeSource = """
        #include <errno.h>
        #include <fcntl.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/syscall.h>
        #include <sys/utsname.h>
        #include <unistd.h>

        int main(int argc, char **argv)
        {
            int fd = open("/tmp/probe.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd < 0) { perror("open"); return 1; }
            if (write(fd, "probe\n", 6) != 6) { perror("write"); return 1; }
            close(fd);
            char buffer[16] = {0};
            fd = open("/tmp/probe.txt", O_RDONLY);
            if (fd < 0 || read(fd, buffer, sizeof buffer - 1) < 0) { perror("read"); return 1; }
            close(fd);
            struct utsname name;
            if (uname(&name) != 0) { perror("uname"); return 1; }
            if (argc > 1 && strcmp(argv[1], "extra") == 0) {
                long priority = syscall(SYS_getpriority, 0, 0);
                if (priority < 0) { printf("getpriority: %s\n", strerror(errno)); return 3; }
                printf("getpriority: %ld\n", priority);
            }
            printf("ok %s", buffer);
            return 0;
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Baseline_derived_from_the_installed_runc_is_in_the_shipped_one(bool noNewPrivileges)
    {
        using var bundle = await BundleAsync(["/bin/busybox", "true"], AllowAllButGetpriority(), hostNetwork: false, config => config["process"]!["noNewPrivileges"] = noNewPrivileges);
        var log = bundle.Combine("runc.trace");
        var id = "strata-baseline-" + Guid.NewGuid().ToString("N")[..12];
        var state = bundle.Combine("state");
        var run = await ExternalTool.RunAsync("strace", ["-f", "-qq", "-y", "-e", "signal=none", "-o", log, "runc", "--root", state, "run", "--bundle", bundle.Path, id], timeout: TimeSpan.FromMinutes(3));
        await ExternalTool.RunAsync("runc", ["--root", state, "delete", "--force", id]);
        Assert.True(run.ExitCode == 0, $"runc under strace exited {run.ExitCode}: {run.StdErr}");

        var derived = RuntimeBaseline.Derive(File.ReadLines(log));
        Assert.NotNull(derived);
        Assert.Contains("execve", derived);
        var shipped = RuntimeBaseline.For("runc")!;
        Assert.True(derived.All(shipped.Contains), "runc made syscalls after its filter that the shipped baseline lacks: " + string.Join(", ", derived.Except(shipped)));
    }

    [Fact]
    public async Task Recorded_busybox_httpd_serves_under_runc_and_anything_else_fails_with_eperm()
    {
        using var work = new TempDirectory("strata-record");
        work.WriteFile("www/index.html", "hello from strata\n");
        var profile = work.Combine("httpd.json");
        var trace = work.Combine("httpd.trace");

        // Record the real server answering one request, then stop it as a runtime would (SIGTERM).
        var port = FreePort();
        var recording = CliRunner.RunAsync(["seccomp", "record", "-o", profile, "--keep-trace", trace, "--", "/usr/bin/busybox", "httpd", "-f", "-p", $"127.0.0.1:{port}", "-h", work.Combine("www")]);
        Assert.Equal("hello from strata\n", await GetAsync(port, recording));
        await StopAsync(["/usr/bin/busybox", "httpd", "-f", "-p", $"127.0.0.1:{port}"]);
        var recorded = await recording.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(recorded.ExitCode == 0, recorded.StdErr);
        Assert.Contains("the command exited with status 143", recorded.StdErr, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(profile))!;
        Assert.Equal("SCMP_ACT_ERRNO", json["defaultAction"]!.GetValue<string>());
        Assert.Equal(1, json["defaultErrnoRet"]!.GetValue<int>());
        var names = json["syscalls"]![0]!["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.True(names.Contains("accept") || names.Contains("accept4"), string.Join(", ", names));
        Assert.Contains("bind", names);
        Assert.DoesNotContain("mkdir", names);
        Assert.DoesNotContain("ptrace", names);

        // The same server in a runc container under the recorded profile.
        var containerPort = FreePort();
        using (var bundle = await BundleAsync(["/bin/busybox", "httpd", "-f", "-p", $"127.0.0.1:{containerPort}", "-h", "/www"], json, hostNetwork: true, www: "hello from runc\n"))
        {
            var id = "strata-httpd-" + Guid.NewGuid().ToString("N")[..12];
            var state = bundle.Combine("state");
            var run = ExternalTool.RunAsync("runc", ["--root", state, "run", "--bundle", bundle.Path, id], timeout: TimeSpan.FromMinutes(3));
            try
            {
                Assert.Equal("hello from runc\n", await GetAsync(containerPort, run));
            }
            finally
            {
                // The server is the container's pid 1, which ignores SIGTERM without a handler.
                await ExternalTool.RunAsync("runc", ["--root", state, "kill", id, "KILL"]);
                await run.WaitAsync(TimeSpan.FromMinutes(2));
                await ExternalTool.RunAsync("runc", ["--root", state, "delete", "--force", id]);
            }
        }

        // A syscall the server never made: mkdir is answered with EPERM.
        var mkdir = await RunInRuncAsync(["/bin/busybox", "mkdir", "/made"], json);
        Assert.Contains("Operation not permitted", mkdir.StdOut + mkdir.StdErr, StringComparison.Ordinal);

        // Without runc's baseline the same recording cannot even start the container.
        var bare = work.Combine("bare.json");
        var rerecorded = await CliRunner.RunAsync("seccomp", "record", "--from-strace", trace, "--baseline", "none", "-o", bare);
        Assert.Equal(0, rerecorded.ExitCode);
        // runc init fails in a call it makes after installing the filter: usually its fstatfs on /proc/self/fd
        // ("operation not permitted"), sometimes the Go runtime's futex first.
        var failed = await RunInRuncAsync(["/bin/busybox", "echo", "started"], JsonNode.Parse(await File.ReadAllTextAsync(bare))!);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.DoesNotContain("started", failed.StdOut, StringComparison.Ordinal);
        Assert.Matches("operation not permitted|futex", failed.StdErr);

        // The AppArmor draft from the same run passes the real parser.
        var apparmor = await CliRunner.RunAsync("apparmor", "generate", "--from-strace", trace, "--name", "strata-httpd");
        Assert.Equal(0, apparmor.ExitCode);
        Assert.Contains("profile strata-httpd flags=(attach_disconnected,mediate_deleted) {", apparmor.StdOut, StringComparison.Ordinal);
        Assert.Contains("  network inet stream,\n", apparmor.StdOut, StringComparison.Ordinal);
        Assert.Contains($"  {work.Combine("www", "index.html")} r,\n", apparmor.StdOut, StringComparison.Ordinal);
        Assert.Contains("  /usr/bin/busybox mrix,\n", apparmor.StdOut, StringComparison.Ordinal);
        await AppArmorParser.AssertParsesAsync(apparmor.StdOut);
    }

    [Fact]
    public async Task Recorded_program_of_our_own_runs_under_runc_and_a_new_syscall_gets_eperm()
    {
        using var work = new TempDirectory("strata-probe");
        var source = work.WriteFile("probe.c", ProbeSource);
        var probe = work.Combine("probe");
        await ExternalTool.RunCheckedAsync("clang", "-static", "-O1", "-o", probe, source);
        var profile = work.Combine("probe.json");
        var recorded = await CliRunner.RunAsync("seccomp", "record", "-o", profile, "--", probe);
        Assert.True(recorded.ExitCode == 0, recorded.StdErr);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(profile))!;
        var names = json["syscalls"]![0]!["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("uname", names);
        Assert.DoesNotContain("getpriority", names);

        var ok = await RunInRuncAsync(["/probe"], json, probe);
        Assert.True(ok.ExitCode == 0, ok.StdOut + ok.StdErr);
        Assert.Equal("ok probe\n", ok.StdOut);

        var extra = await RunInRuncAsync(["/probe", "extra"], json, probe);
        Assert.Equal("getpriority: Operation not permitted\n", extra.StdOut);

        // Recorded again with the extra call and merged: the merged profile allows it.
        var second = work.Combine("extra.json");
        Assert.Equal(0, (await CliRunner.RunAsync("seccomp", "record", "-o", second, "--baseline", "none", "--", probe, "extra")).ExitCode);
        var merged = work.Combine("merged.json");
        var merge = await CliRunner.RunAsync("seccomp", "record", "--merge", profile, "--merge", second, "-o", merged);
        Assert.True(merge.ExitCode == 0, merge.StdErr);
        var both = await RunInRuncAsync(["/probe", "extra"], JsonNode.Parse(await File.ReadAllTextAsync(merged))!, probe);
        Assert.StartsWith("getpriority: ", both.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation not permitted", both.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("ok probe\n", both.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apparmor_generate_records_a_command_and_the_parser_accepts_the_draft()
    {
        using var work = new TempDirectory("strata-aa");
        var output = work.Combine("profile");
        var result = await CliRunner.RunAsync("apparmor", "generate", "-o", output, "--", "/usr/bin/busybox", "sh", "-c", $"ls /etc >/dev/null; echo made > {work.Combine("out.txt")}");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var profile = await File.ReadAllTextAsync(output);
        Assert.Contains("profile strata-busybox ", profile, StringComparison.Ordinal);
        Assert.Contains("  /etc/ r,\n", profile, StringComparison.Ordinal);
        Assert.Contains($"  {work.Combine("out.txt")} w,\n", profile, StringComparison.Ordinal);
        await AppArmorParser.AssertParsesAsync(profile);
    }

    [Fact]
    public async Task Audit_records_become_a_profile()
    {
        using var work = new TempDirectory("strata-audit");
        var log = work.WriteFile("audit.log", """
            type=SECCOMP msg=audit(1700000000.100:20): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=4242 comm="httpd" exe="/bin/busybox" sig=0 arch=c000003e syscall=49 compat=0 ip=0x4a2c1b code=0x7ffc0000
            type=SECCOMP msg=audit(1700000000.200:21): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=4242 comm="httpd" exe="/bin/busybox" sig=0 arch=c000003e syscall=43 compat=0 ip=0x4a2c1b code=0x7ffc0000
            type=SECCOMP msg=audit(1700000000.300:22): pid=7 comm="sh" exe="/bin/sh" arch=c000003e syscall=101 code=0x7ffc0000

            """);
        var result = await CliRunner.RunAsync("seccomp", "record", "--from-audit", log, "--exe", "/bin/busybox", "--baseline", "none", "--to", "docker");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var names = JsonNode.Parse(result.StdOut)!["syscalls"]![0]!["names"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(["accept", "bind"], names);
        Assert.Contains("2 seccomp records taken", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "Nothing to record", "seccomp", "record")]
    [InlineData(2, "Give --output FILE", "seccomp", "record", "--", "/bin/true")]
    [InlineData(2, "--baseline 'crun'", "seccomp", "record", "--baseline", "crun", "--from-strace", "/dev/null")]
    [InlineData(3, "cannot read it", "seccomp", "record", "--from-strace", "/nonexistent/trace.log")]
    [InlineData(3, "install strace", "seccomp", "record", "-o", "/tmp/strata-never.json", "--strace", "/nonexistent/strace", "--", "/bin/true")]
    [InlineData(2, "Nothing to draft from", "apparmor", "generate")]
    [InlineData(2, "Profile name", "apparmor", "generate", "--from-strace", "/dev/null", "--name", "bad name")]
    public async Task Bad_requests_exit_with_a_clear_line(int exitCode, string expected, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/strata-never.json"));
    }

    private static JsonNode AllowAllButGetpriority() => JsonNode.Parse("""
        {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
         "syscalls": [{"names": ["getpriority"], "action": "SCMP_ACT_ERRNO"}]}
        """)!;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Fetches /index.html once the server listens; fails early if the process serving it ends first.</summary>
    private static async Task<string> GetAsync(int port, Task server)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            Assert.False(server.IsCompleted, "the server ended before it answered");
            try
            {
                return await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Sends SIGTERM to the process whose argv starts with <paramref name="argv"/>.</summary>
    private static async Task StopAsync(string[] argv)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var args = (await File.ReadAllTextAsync(Path.Combine(dir, "cmdline"))).Split('\0');
                if (args.Length >= argv.Length && args.Take(argv.Length).SequenceEqual(argv))
                {
                    await ExternalTool.RunCheckedAsync("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return;
                }
            }
            catch (IOException)
            {
            }
        }

        Assert.Fail("no process runs " + string.Join(' ', argv));
    }

    private static async Task<TempDirectory> BundleAsync(string[] args, JsonNode seccomp, bool hostNetwork, Action<JsonObject>? change = null, string? www = null, string? probe = null)
    {
        var bundle = new TempDirectory("strata-runc-record");
        Directory.CreateDirectory(bundle.Combine("rootfs", "bin"));
        Directory.CreateDirectory(bundle.Combine("rootfs", "tmp"));
        File.Copy("/usr/bin/busybox", bundle.Combine("rootfs", "bin", "busybox"));
        File.CreateSymbolicLink(bundle.Combine("rootfs", "bin", "sh"), "busybox");
        if (www is not null)
        {
            bundle.WriteFile("rootfs/www/index.html", www);
        }

        if (probe is not null)
        {
            File.Copy(probe, bundle.Combine("rootfs", "probe"));
        }

        await ExternalTool.RunCheckedAsync("runc", "spec", "--bundle", bundle.Path);
        var path = bundle.Combine("config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
        config["process"]!["terminal"] = false;
        config["root"]!["readonly"] = false;
        config["process"]!["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]);
        config["linux"]!["seccomp"] = seccomp.DeepClone();
        if (hostNetwork)
        {
            var namespaces = config["linux"]!["namespaces"]!.AsArray();
            namespaces.Remove(namespaces.First(n => n!["type"]!.GetValue<string>() == "network"));
        }

        change?.Invoke(config);
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return bundle;
    }

    private static async Task<ExternalTool.Result> RunInRuncAsync(string[] args, JsonNode seccomp, string? probe = null)
    {
        using var bundle = await BundleAsync(args, seccomp, hostNetwork: false, probe: probe);
        var state = bundle.Combine("state");
        var id = "strata-record-" + Guid.NewGuid().ToString("N")[..12];
        var run = await ExternalTool.RunAsync("runc", ["--root", state, "run", "--bundle", bundle.Path, id], timeout: TimeSpan.FromMinutes(3));
        await ExternalTool.RunAsync("runc", ["--root", state, "delete", "--force", id]);
        return run;
    }
}
