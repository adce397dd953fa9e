namespace Strata.Kernel.Tests;

using Strata.Core;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.KernelCves;
using Strata.Testing;

/// <summary>Kernel CVEs by version: the running kernel read as each distribution writes it, the built-in escape table, and the linux_kernel_cves dataset of ../shared.</summary>
public sealed class KernelCveTests
{
    private static string Dataset => Path.Combine(RepoPaths.Shared, "fixtures", "kernel-cves");

    [Theory]
    [InlineData("6.1.0-18-amd64", "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", null, KernelBuilder.Debian, "6.1.76")]
    [InlineData("5.15.0-91-generic", "Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045) #101-Ubuntu SMP", "Ubuntu 5.15.0-91.101-generic 5.15.131\n", KernelBuilder.Ubuntu, "5.15.131")]
    [InlineData("5.15.0-91-generic", "Linux version 5.15.0-91-generic #101-Ubuntu SMP", null, KernelBuilder.Ubuntu, null)]
    [InlineData("4.18.0-513.5.1.el8_9.x86_64", "Linux version 4.18.0-513.5.1.el8_9.x86_64 (mockbuild@x86-vm-08.build.eng.bos.redhat.com)", null, KernelBuilder.RedHat, "4.18.0")]
    [InlineData("6.5.6-300.fc39.x86_64", null, null, KernelBuilder.Fedora, "6.5.6")]
    [InlineData("6.8.0", "Linux version 6.8.0 (me@box) #1 SMP", null, KernelBuilder.Upstream, "6.8.0")]
    [InlineData("6.9.0-rc3", null, null, KernelBuilder.Upstream, "6.9.0")]
    [InlineData("6.5.0-1025-azure", null, null, KernelBuilder.Vendor, "6.5.0")]
    public void The_running_kernel_is_read_as_its_builder_writes_it(string release, string? procVersion, string? signature, KernelBuilder builder, string? upstream)
    {
        var kernel = RunningKernel.From(release, procVersion, signature);
        Assert.Equal(builder, kernel.Builder);
        Assert.Equal(upstream, kernel.Upstream?.ToString());
    }

    [Theory]
    [InlineData("6.1.0", "CVE-2023-0386,CVE-2024-1086")]
    [InlineData("6.1.76", "")]
    [InlineData("5.10.0", "CVE-2021-22555,CVE-2022-0185,CVE-2022-0492,CVE-2022-0847,CVE-2024-1086")]
    [InlineData("5.7.19", "CVE-2021-22555,CVE-2022-0185,CVE-2022-0492,CVE-2024-1086")]
    [InlineData("5.11.0", "CVE-2021-22555,CVE-2022-0185,CVE-2022-0492,CVE-2022-0847,CVE-2023-0386,CVE-2024-1086")]
    [InlineData("4.4.26", "CVE-2021-22555,CVE-2022-0492,CVE-2024-1086")]
    [InlineData("4.4.25", "CVE-2016-5195,CVE-2021-22555,CVE-2022-0492,CVE-2024-1086")]
    [InlineData("3.14.79", "CVE-2016-5195,CVE-2021-22555,CVE-2022-0492")]
    [InlineData("6.8.0", "")]
    public void An_upstream_kernel_is_affected_exactly_below_its_branch_fix(string version, string expected)
    {
        var kernel = RunningKernel.From(version, null, null);
        var affected = KernelCveTable.EscapeCves.Cves.Select(c => KernelCveJudge.Judge(c, kernel)).Where(v => v.State == KernelCveState.Affected).Select(v => v.Cve.Id);
        Assert.Equal(expected, string.Join(',', affected));
    }

    [Fact]
    public void A_distribution_kernel_below_the_fix_is_only_possibly_affected_and_says_why()
    {
        var debian = RunningKernel.From("6.1.0-17-amd64", "Linux version 6.1.0-17-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.69-1 (2023-12-30)", null);
        var cve = KernelCveTable.EscapeCves.Cves.Single(c => c.Id == "CVE-2024-1086");
        var verdict = KernelCveJudge.Judge(cve, debian);
        Assert.Equal(KernelCveState.PossiblyAffected, verdict.State);
        Assert.Contains("Debian 6.1.69-1", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("6.1.76", verdict.Reason, StringComparison.Ordinal);

        var redHat = RunningKernel.From("4.18.0-513.el8.x86_64", null, null);
        var dirtyCow = KernelCveJudge.Judge(KernelCveTable.EscapeCves.Cves.Single(c => c.Id == "CVE-2016-5195"), redHat);
        Assert.Equal(KernelCveState.NotAffected, dirtyCow.State);
        var releaseAgent = KernelCveJudge.Judge(KernelCveTable.EscapeCves.Cves.Single(c => c.Id == "CVE-2022-0492"), redHat);
        Assert.Equal(KernelCveState.PossiblyAffected, releaseAgent.State);
        Assert.Contains("vendor's advisory", releaseAgent.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_table_agrees_with_the_dataset()
    {
        var dataset = KernelCveTable.LoadDataset(Dataset);
        foreach (var builtIn in KernelCveTable.EscapeCves.Cves)
        {
            var entry = dataset.Cves.Single(c => c.Id == builtIn.Id);
            Assert.Equal(entry.StreamFixes.OrderBy(p => p.Key), builtIn.StreamFixes.OrderBy(p => p.Key));
            Assert.Equal(entry.MainlineFix, builtIn.MainlineFix);
        }
    }

    [Fact]
    public void The_dataset_loads_whole_and_judges_a_stream()
    {
        var dataset = KernelCveTable.LoadDataset(Dataset);
        Assert.True(dataset.Cves.Count > 2000, $"{dataset.Cves.Count} CVEs");
        Assert.DoesNotContain(dataset.Cves, c => c.Id == "CVE-2003-1604");

        // Stable 5.10.100 of February 2022 against data of April 2024: Dirty Pipe (5.10.102) among many.
        var old = RunningKernel.From("5.10.100", null, null);
        var unfixed = dataset.Cves.Where(c => KernelCveJudge.Judge(c, old).State == KernelCveState.Affected).Select(c => c.Id).ToHashSet();
        Assert.Contains("CVE-2022-0847", unfixed);
        Assert.DoesNotContain("CVE-2016-5195", unfixed);
        Assert.True(unfixed.Count > 100, $"{unfixed.Count} unfixed");

        // A newer release of the same branch has fewer.
        var newer = RunningKernel.From("5.10.210", null, null);
        Assert.True(dataset.Cves.Count(c => KernelCveJudge.Judge(c, newer).State == KernelCveState.Affected) < unfixed.Count / 2);
    }

    [Theory]
    [InlineData("{\"CVE-2022-0001\": {\"5.10\": {\"fixed_version\": \"5.11.3\"}}}", "$['CVE-2022-0001']['5.10'].fixed_version: expected a release of branch 5.10")]
    [InlineData("{\"not-a-cve\": {}}", "$['not-a-cve']: expected a CVE ID")]
    [InlineData("[1, 2]", "$: expected an object of CVE IDs")]
    [InlineData("{\"CVE-2022-0001\": {\n", "stream_fixes.json:2: malformed JSON")]
    public void A_malformed_dataset_is_refused_with_its_json_path(string json, string expected)
    {
        using var directory = new TempDirectory();
        directory.WriteFile("stream_fixes.json", json);
        var error = Assert.Throws<StrataException>(() => KernelCveTable.LoadDataset(directory.Path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_cve_list_line_is_refused_with_its_line()
    {
        using var directory = new TempDirectory();
        directory.WriteFile("stream_fixes.json", "{}");
        directory.WriteFile("CVEs.txt", "CVEid: (breaks) - (fixes) (versions)\n\nCVE-2020-0001: abc - def (v5.1 to v5.2)\nCVE-2020-0002: garbage\n");
        var error = Assert.Throws<StrataException>(() => KernelCveTable.LoadDataset(directory.Path));
        Assert.Contains("CVEs.txt:4: expected", error.Message, StringComparison.Ordinal);
        Assert.Throws<StrataException>(() => KernelCveTable.LoadDataset(Path.Combine(directory.Path, "nowhere")));
    }

    [Fact]
    public async Task The_host_scan_reports_escape_cves_and_with_the_dataset_the_stream_cves()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/sys/kernel/osrelease", "5.10.100\n");
        root.WriteFile("proc/version", "Linux version 5.10.100 (me@box) #1 SMP\n");
        var target = new ScanTarget(TargetKind.Host, "host", "/");

        var plain = await new HostScanner().ScanAsync(target, new ScanContext { HostRoot = root.Path }, CancellationToken.None);
        var escapes = plain.Where(f => f.RuleId == "KRN-010").ToList();
        Assert.Contains(escapes, f => f.Location.Subject == "CVE-2022-0847" && f.Severity == Severity.High && f.Message.Contains("5.10.102", StringComparison.Ordinal));
        Assert.DoesNotContain(plain, f => f.RuleId == "KRN-011");

        var full = await new HostScanner(KernelCveTable.LoadDataset(Dataset)).ScanAsync(target, new ScanContext { HostRoot = root.Path }, CancellationToken.None);
        var stream = full.Where(f => f.RuleId == "KRN-011").ToList();
        Assert.NotEmpty(stream);
        Assert.DoesNotContain(stream, f => f.Location.Subject == "CVE-2022-0847");
    }
}
