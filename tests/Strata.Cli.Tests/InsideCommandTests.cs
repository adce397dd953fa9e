namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary><c>strata inside</c> and <c>strata host</c> end to end, in process, on crafted trees (the runc tests run the real thing).</summary>
public sealed class InsideCommandTests
{
    private static TempDirectory DockerTreeWithSocket()
    {
        var root = new TempDirectory();
        root.WriteFile(".dockerenv", string.Empty);
        root.WriteFile("proc/self/status", "Name:\tstrata\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\nCapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n");
        root.WriteFile("proc/self/mountinfo", "1 0 0:50 / / rw - overlay overlay rw,upperdir=/var/lib/docker/overlay2/0f/diff\n2 1 254:1 /run/docker.sock /var/run/docker.sock rw - ext4 /dev/vda1 rw\n");
        root.WriteFile("proc/self/attr/current", "docker-default (enforce)\n");
        root.WriteFile("proc/self/uid_map", "0 100000 65536\n");
        root.WriteFile("proc/self/ns/user", "user:[4026532300]");
        return root;
    }

    [Fact]
    public async Task Inside_reports_the_facts_and_findings_of_a_crafted_container()
    {
        using var root = DockerTreeWithSocket();
        var result = await CliRunner.RunAsync("inside", "--root", root.Path, "--format", "json", "--fail-on", "HIGH");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var report = json.RootElement;
        Assert.True(report.GetProperty("inContainer").GetBoolean());
        Assert.Equal("docker", report.GetProperty("runtime").GetProperty("engine").GetString());
        Assert.Equal("filtering (1 filter)", report.GetProperty("seccomp").GetProperty("description").GetString());
        Assert.True(report.GetProperty("lsm").GetProperty("confined").GetBoolean());
        Assert.False(report.GetProperty("userNamespace").GetProperty("rootIsHostRoot").GetBoolean());
        Assert.Equal(
            ["CTR-002", "CTR-013"],
            report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).Order(StringComparer.Ordinal));

        var text = await CliRunner.RunAsync("inside", "--root", root.Path);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Container:      docker", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("/var/run/docker.sock: Docker's API socket", text.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inside_outside_a_container_says_so_and_reports_nothing()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/ns/pid", "pid:[4026531836]");
        var result = await CliRunner.RunAsync("inside", "--root", root.Path, "--fail-on", "INFO");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("none detected", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Findings:        none", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inside_refuses_what_it_cannot_do()
    {
        using var root = DockerTreeWithSocket();
        var probe = await CliRunner.RunAsync("inside", "--root", root.Path, "--probe-syscalls");
        Assert.Equal(2, probe.ExitCode);
        Assert.Contains("--probe-syscalls", probe.StdErr, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync("inside", "--root", root.Combine("no-such-dir"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such directory", missing.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_is_the_host_scan()
    {
        using var root = DockerTreeWithSocket();
        root.WriteFile("proc/sys/kernel/kptr_restrict", "0\n");
        var host = await CliRunner.RunAsync("host", "--root", root.Path, "--format", "json");
        var scan = await CliRunner.RunAsync("scan", "host", "--root", root.Path, "--format", "json");
        Assert.Equal(scan.ExitCode, host.ExitCode);
        Assert.Equal(Findings(scan.StdOut), Findings(host.StdOut));
        Assert.Contains(Findings(host.StdOut), f => f.StartsWith("KRN-004 ", StringComparison.Ordinal));
        Assert.Contains(Findings(host.StdOut), f => f.StartsWith("CTR-002 ", StringComparison.Ordinal));
    }

    private static List<string> Findings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString() + " " + f.GetProperty("message").GetString())];
    }
}
