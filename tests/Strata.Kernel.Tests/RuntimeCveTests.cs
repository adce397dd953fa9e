namespace Strata.Kernel.Tests;

using Strata.Core.Findings;
using Strata.Core.Packages;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kernel.Runtimes;
using Strata.Testing;

/// <summary>Container runtimes found in a dpkg database and judged against their escape CVEs; and the real runc of this machine.</summary>
public sealed class RuntimeCveTests
{
    private static string Status(params (string Name, string Version)[] packages) =>
        string.Join("\n\n", packages.Select(p => $"Package: {p.Name}\nStatus: install ok installed\nPriority: optional\nVersion: {p.Version}\nDescription: x\n")) + "\n";

    private static async Task<List<Finding>> ScanAsync(TempDirectory root) =>
        [.. (await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root.Path }, CancellationToken.None)).Where(f => f.RuleId == "KRN-024")];

    [Theory]
    [InlineData("1.1.5+ds1", "1.1.5")]
    [InlineData("1.6.20~ds1", "1.6.20")]
    [InlineData("1.0.0-rc95", "1.0.0~rc95")]
    [InlineData("1.4.0-rc.3", "1.4.0~rc3")]
    [InlineData("24.0.7", "24.0.7")]
    [InlineData("19.03.0~3", "19.03.0")]
    public void The_upstream_release_is_read_from_package_and_binary_versions(string text, string upstream)
    {
        Assert.Equal(upstream, RuntimeInventory.UpstreamOf(text)!.ToString());
    }

    [Theory]
    [InlineData("CVE-2024-21626", "1.1.11", true)]
    [InlineData("CVE-2024-21626", "1.1.12", false)]
    [InlineData("CVE-2024-21626", "1.2.0", false)]
    [InlineData("CVE-2025-31133", "1.2.7", true)]
    [InlineData("CVE-2025-31133", "1.3.2", true)]
    [InlineData("CVE-2025-31133", "1.3.3", false)]
    [InlineData("CVE-2025-31133", "1.1.15", true)]
    [InlineData("CVE-2019-5736", "1.0.0~rc6", true)]
    [InlineData("CVE-2019-5736", "1.0.0~rc7", false)]
    [InlineData("CVE-2020-15257", "1.4.2", true)]
    [InlineData("CVE-2020-15257", "1.2.13", true)]
    [InlineData("CVE-2020-15257", "1.5.0", false)]
    public void A_release_is_fixed_from_its_branch_fix_on(string cve, string version, bool missing)
    {
        var entry = RuntimeCve.All.Single(c => c.Id == cve);
        Assert.Equal(missing, entry.Missing(DebianVersion.Parse(version)) is not null);
    }

    [Fact]
    public async Task Debian_runc_is_judged_by_debian_s_fixed_package_and_docker_s_builds_by_upstream()
    {
        using var root = new TempDirectory();
        root.WriteFile("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        root.WriteFile("var/lib/dpkg/status", Status(("runc", "1.1.5+ds1-1"), ("docker-ce", "5:19.03.0~3-0~debian-buster"), ("bash", "5.2.15-2+b2")));
        var findings = await ScanAsync(root);
        var runc = Assert.Single(findings, f => f.Location.Subject == "runc CVE-2024-21626");
        Assert.Equal(Severity.Critical, runc.Severity);
        Assert.Contains("Debian fixed it in runc 1.1.5+ds1-1+deb12u1", runc.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Location.Subject == "docker CVE-2019-14271" && f.Severity == Severity.High && f.Message.Contains(", affected (", StringComparison.Ordinal));

        root.WriteFile("var/lib/dpkg/status", Status(("runc", "1.1.5+ds1-1+deb12u1")));
        Assert.DoesNotContain(await ScanAsync(root), f => f.Location.Subject == "runc CVE-2024-21626");
    }

    [Fact]
    public async Task Another_distribution_s_package_below_the_fix_is_possibly_affected()
    {
        using var root = new TempDirectory();
        root.WriteFile("etc/os-release", "ID=ubuntu\n");
        root.WriteFile("var/lib/dpkg/status", Status(("runc", "1.1.7-0ubuntu1~22.04.1")));
        var finding = Assert.Single(await ScanAsync(root), f => f.Location.Subject == "runc CVE-2024-21626");
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("possibly affected", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removed_packages_and_a_missing_database_give_nothing()
    {
        using var root = new TempDirectory();
        root.WriteFile("var/lib/dpkg/status", "Package: runc\nStatus: deinstall ok config-files\nVersion: 1.0.0~rc6+dfsg1-3\n\n");
        Assert.Empty(await ScanAsync(root));
        File.Delete(Path.Combine(root.Path, "var/lib/dpkg/status"));
        Assert.Empty(await ScanAsync(root));
    }

    [Fact]
    public void This_machine_s_runc_is_found_with_the_version_runc_reports()
    {
        var runtimes = RuntimeInventory.Find(new HostSnapshot("/"), RuntimeCve.Packages, probeBinaries: true);
        var runc = Assert.Single(runtimes, r => r.Runtime == "runc");
        var dpkg = RuntimeInventory.DpkgInstalled(File.ReadAllText("/var/lib/dpkg/status"))["runc"];
        Assert.Equal(RuntimeInventory.UpstreamOf(dpkg.Upstream), runc.Upstream);
    }

    /// <summary>
    /// A Fedora-like host: real RPMs built with rpmbuild (Debian `rpm`) and recorded in an RPM database under the host
    /// root with `rpm --justdb`; the audit finds them there and judges their upstream release.
    /// </summary>
    [Fact]
    public async Task Runtimes_in_an_rpm_database_are_found_and_judged()
    {
        using var root = new TempDirectory();
        using var build = new TempDirectory();
        var database = root.Combine("var", "lib", "rpm");
        Directory.CreateDirectory(database);
        await ExternalTool.RunCheckedAsync("rpm", "--dbpath", database, "--initdb");
        foreach (var (name, version, release) in new[] { ("runc", "1.1.11", "1.fc39"), ("containerd.io", "1.6.0", "3.1.el9"), ("moby-engine", "24.0.5", "1.fc39") })
        {
            var spec = build.WriteFile(name + ".spec", $"Name: {name}\nVersion: {version}\nRelease: {release}\nSummary: test\nLicense: MIT\nBuildArch: noarch\n%description\ntest\n%files\n");
            await ExternalTool.RunCheckedAsync("rpmbuild", "--define", "_topdir " + build.Combine("top"), "--define", "_rpmdir " + build.Combine("out"), "-bb", spec);
            var package = Directory.EnumerateFiles(build.Combine("out"), name + "-" + version + "*.rpm", SearchOption.AllDirectories).Single();
            await ExternalTool.RunCheckedAsync("rpm", "--dbpath", database, "-i", "--justdb", "--nodeps", "--noscripts", package);
        }

        var installed = RuntimeInventory.RpmInstalled(new Strata.Kernel.HostSnapshot(root.Path));
        Assert.Equal(("1.1.11", "1.fc39"), installed["runc"]);

        var findings = await ScanAsync(root);
        var leaky = Assert.Single(findings, f => f.Message.Contains("CVE-2024-21626", StringComparison.Ordinal));
        Assert.StartsWith("runc 1.1.11 (rpm package runc 1.1.11-1.fc39), CVE-2024-21626, possibly affected", leaky.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Medium, leaky.Severity);

        // containerd.io is Docker's own build of containerd: no backports, so 1.6.0 is affected by CVE-2022-23648.
        var copy = Assert.Single(findings, f => f.Message.Contains("CVE-2022-23648", StringComparison.Ordinal));
        Assert.StartsWith("containerd 1.6.0 (rpm package containerd.io 1.6.0-3.1.el9), CVE-2022-23648, affected", copy.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.High, copy.Severity);
        Assert.DoesNotContain(findings, f => f.Message.StartsWith("docker", StringComparison.Ordinal));
    }
}
