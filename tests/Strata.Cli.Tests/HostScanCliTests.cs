namespace Strata.Cli.Tests;

using System.Text.Json;
using Strata.Testing;

/// <summary><c>strata scan host --root DIR --kernel-cve-data DIR</c> end to end, on a host tree.</summary>
public sealed class HostScanCliTests
{
    [Fact]
    public async Task The_host_audit_reads_another_root_and_the_kernel_cve_dataset()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/kernel/osrelease", "5.10.100\n");
        root.WriteFile("proc/sys/kernel/kptr_restrict", "0\n");
        var data = Path.Combine(RepoPaths.Shared, "fixtures", "kernel-cves");
        var result = await CliRunner.RunAsync("scan", "host", "--root", root.Path, "--kernel-cve-data", data, "--format", "sarif", "--fail-on", "LOW");
        Assert.Equal(1, result.ExitCode);
        using var sarif = JsonDocument.Parse(result.StdOut);
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("KRN-004", rules);
        Assert.Equal(2, rules.Count(r => r == "KRN-010"));
        Assert.True(rules.Count(r => r == "KRN-011") > 50);
    }

    [Fact]
    public async Task A_directory_without_the_dataset_is_refused_by_name()
    {
        using var empty = new TempDirectory();
        var result = await CliRunner.RunAsync("scan", "host", "--kernel-cve-data", empty.Path);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no stream_fixes.json", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }
}
