namespace Strata.Kernel.Tests;

using System.Globalization;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.Checks;
using Strata.Testing;

/// <summary>The data-driven kernel settings, on host trees and on this machine's real /proc against procps' sysctl.</summary>
public sealed class SysctlSettingTests
{
    public static TheoryData<string> Ids => [.. SysctlSetting.All.Select(s => s.Rule.Id)];

    private static async Task<List<Strata.Core.Findings.Finding>> ScanAsync(string root) =>
        [.. await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root }, CancellationToken.None)];

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Each_setting_flags_its_unsafe_values_and_only_those(string id)
    {
        var setting = SysctlSetting.All.Single(s => s.Rule.Id == id);
        var relative = HostSnapshot.SysctlPath(setting.Sysctl).TrimStart('/');
        var boundary = setting.SafeAtLeast ?? setting.SafeAtMost!.Value;
        var outward = setting.SafeAtLeast is null ? 1 : -1;
        using var root = new TempDirectory();
        foreach (var (value, flagged) in new[] { (boundary, false), (boundary + outward, true), (boundary + (2 * outward), true), (boundary - outward, false) })
        {
            root.WriteFile(relative, value.ToString(CultureInfo.InvariantCulture) + "\n");
            var findings = await ScanAsync(root.Path);
            var finding = findings.SingleOrDefault(f => f.RuleId == id);
            Assert.True(flagged == (finding is not null), $"{setting.Sysctl} = {value}");
            if (finding is not null)
            {
                Assert.Equal(setting.Sysctl, finding.Location.Subject);
                Assert.Contains(setting.SafeRange, finding.Message, StringComparison.Ordinal);
            }
        }

        // Not a number, or missing: not applicable, no finding, no error.
        root.WriteFile(relative, "garbage\n");
        Assert.DoesNotContain(await ScanAsync(root.Path), f => f.RuleId == id);
        File.Delete(Path.Combine(root.Path, relative));
        Assert.DoesNotContain(await ScanAsync(root.Path), f => f.RuleId == id);
    }

    /// <summary>
    /// Each setting names lynis's KRNL-6000 exactly when the real lynis profile (Debian `lynis`, /etc/lynis/default.prf)
    /// compares that sysctl, and says "none" otherwise.
    /// </summary>
    [Fact]
    public void Every_setting_names_its_lynis_equivalent_as_the_lynis_profile_has_it()
    {
        var profile = File.ReadAllLines("/etc/lynis/default.prf")
            .Where(l => l.StartsWith("config-data=sysctl;", StringComparison.Ordinal))
            .Select(l => l.Split(';')[1])
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("kernel.kptr_restrict", profile);
        Assert.True(SysctlSetting.All.Count >= 15);
        Assert.All(SysctlSetting.All, s =>
        {
            var equivalent = Assert.Single(s.Rule.Equivalents);
            Assert.StartsWith(profile.Contains(s.Sysctl) ? $"lynis KRNL-6000 ({s.Sysctl})" : "lynis none", equivalent, StringComparison.Ordinal);
            Assert.NotEmpty(s.Rule.References);
            Assert.StartsWith("KRN-", s.Rule.Id, StringComparison.Ordinal);
        });
        Assert.Equal(SysctlSetting.All.Count, SysctlSetting.All.Select(s => s.Rule.Id).Distinct().Count());
    }

    [Fact]
    public async Task On_this_machine_the_findings_agree_with_procps_sysctl()
    {
        var findings = await ScanAsync("/");
        foreach (var setting in SysctlSetting.All)
        {
            var read = await ExternalTool.RunAsync("sysctl", ["-n", setting.Sysctl]);
            if (read.ExitCode != 0)
            {
                Assert.DoesNotContain(findings, f => f.RuleId == setting.Rule.Id);
                continue;
            }

            var value = long.Parse(read.StdOut.Trim(), CultureInfo.InvariantCulture);
            Assert.Equal(!setting.IsSafe(value), findings.Any(f => f.RuleId == setting.Rule.Id));
        }
    }
}
