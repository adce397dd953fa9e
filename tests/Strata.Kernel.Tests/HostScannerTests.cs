namespace Strata.Kernel.Tests;

using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.Capabilities;
using Strata.Testing;

/// <summary>Host checks against host trees laid out like /proc (fixtures, since the real host's settings are what they are).</summary>
public sealed class HostScannerTests
{
    private static async Task<List<string>> ScanAsync(TempDirectory root)
    {
        var findings = await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root.Path }, CancellationToken.None);
        return [.. findings.Select(f => f.RuleId)];
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public async Task Debian_switch_decides_unprivileged_user_namespaces(string value, bool flagged)
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/kernel/unprivileged_userns_clone", value + "\n");
        root.WriteFile("proc/sys/user/max_user_namespaces", "63000\n");
        Assert.Equal(flagged, (await ScanAsync(root)).Contains("KRN-001"));
    }

    [Fact]
    public async Task Upstream_kernel_with_namespace_limit_is_flagged_and_zero_limit_is_not()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/user/max_user_namespaces", "63000\n");
        Assert.Contains("KRN-001", await ScanAsync(root));
        root.WriteFile("proc/sys/user/max_user_namespaces", "0\n");
        Assert.DoesNotContain("KRN-001", await ScanAsync(root));
    }

    [Fact]
    public async Task Ubuntu_apparmor_restriction_counts_as_mitigation()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/user/max_user_namespaces", "63000\n");
        root.WriteFile("proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
        Assert.DoesNotContain("KRN-001", await ScanAsync(root));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("1", false)]
    [InlineData("2", false)]
    public async Task Unprivileged_bpf(string value, bool flagged)
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/kernel/unprivileged_bpf_disabled", value);
        Assert.Equal(flagged, (await ScanAsync(root)).Contains("KRN-002"));
    }

    [Fact]
    public async Task Dangerous_capabilities_count_only_inside_a_container()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/status", "Name:\tstrata\nCapEff:\t00000000a80425fb\n");
        Assert.DoesNotContain("CAP-001", await ScanAsync(root));

        root.WriteFile(".dockerenv", string.Empty);
        var findings = await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root.Path }, CancellationToken.None);
        Assert.DoesNotContain(findings, f => f.RuleId == "CAP-001"); // Docker's default set: nothing dangerous

        root.WriteFile("proc/self/status", "Name:\tstrata\nCapEff:\t00000000a82425fb\n"); // + CAP_SYS_ADMIN (bit 21)
        findings = await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root.Path }, CancellationToken.None);
        var finding = Assert.Single(findings, f => f.RuleId == "CAP-001");
        Assert.Contains("CAP_SYS_ADMIN", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capability_masks_decode_by_bit()
    {
        Assert.Equal(["CAP_CHOWN", "CAP_SYS_ADMIN"], CapabilitySet.ParseHex("0000000000200001").Names);
        Assert.Equal("CAP_SYS_ADMIN", CapabilityCatalog.Normalize("sys_admin"));
    }
}
