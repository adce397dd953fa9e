namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Images.Tests.Support;

public sealed class HardeningCleanImageTests(HardeningImagesFixture fixture) : IClassFixture<HardeningImagesFixture>
{
    [Fact]
    public void Clean_image_has_nothing_beyond_information()
    {
        var clean = fixture.Clean;
        Assert.All(clean.Findings, f => Assert.Equal(Severity.Info, f.Severity));
        var os = Assert.Single(clean.Findings);
        Assert.Equal("IMG-001", os.RuleId);
        Assert.Contains("Alpine Linux v3.21", os.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_image_config_carries_the_healthcheck_and_user_the_checks_accept()
    {
        var config = fixture.Clean.View.Config;
        Assert.NotNull(config);
        Assert.Equal("10001", config.User);
        Assert.Equal(["CMD", "/app/server", "--health"], config.Healthcheck?.Test);
    }
}

/// <summary>A real Debian base (debootstrap bookworm minbase, one layer): what it really has, and no false alarms.</summary>
public sealed class HardeningDebianTests(DebianImageFixture fixture) : IClassFixture<DebianImageFixture>
{
    private ScannedImage Debian => fixture.Debian;

    [Fact]
    public void Debian_os_and_packages_are_identified_and_bookworm_is_not_end_of_life()
    {
        var os = Assert.Single(Debian.Of("IMG-001"));
        Assert.Contains("Debian GNU/Linux 12 (bookworm)", os.Message, StringComparison.Ordinal);
        Assert.Equal("/usr/lib/os-release", os.Location.Path);
        Assert.Empty(Debian.Of("IMG-002"));

        var packages = Assert.Single(Debian.Of("IMG-003"));
        var count = int.Parse(packages.Message.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(count, 60, 200);
    }

    [Fact]
    public void Debian_has_shells_package_managers_su_and_runs_as_root()
    {
        var shells = Debian.Of("IMG-004").Select(f => f.Location.Path).ToList();
        Assert.Contains("/usr/bin/bash", shells);
        Assert.Contains("/usr/bin/dash", shells);
        Assert.Contains("/usr/bin/sh", shells);
        var managers = Debian.Of("IMG-005").Select(f => f.Location.Path).ToList();
        Assert.Contains("/usr/bin/apt-get", managers);
        Assert.Contains("/usr/bin/dpkg", managers);
        Assert.Equal(Severity.Low, Debian.At("IMG-008", "/usr/bin/su").Severity);
        Assert.Single(Debian.Of("IMG-011"));
        Assert.Single(Debian.Of("IMG-012"));
    }

    [Fact]
    public void Debian_setuid_files_are_only_the_customary_account_tools()
    {
        var setuid = Debian.Of("IMG-009");
        Assert.Contains(setuid, f => f.Location.Path == "/usr/bin/passwd");
        Assert.Contains(setuid, f => f.Location.Path == "/usr/bin/su");
        Assert.All(setuid, f => Assert.Equal(Severity.Low, f.Severity));
        Assert.All(setuid, f => Assert.Equal(0, f.Location.LayerIndex));
    }

    [Fact]
    public void Debian_has_no_false_alarms()
    {
        foreach (var rule in new[] { "IMG-006", "IMG-007", "IMG-010", "IMG-013", "IMG-014", "IMG-015", "IMG-016", "IMG-018" })
        {
            Assert.True(Debian.Of(rule).Count == 0, $"{rule}: {string.Join("; ", Debian.Of(rule).Select(f => f.Message))}");
        }
    }

    [Fact]
    public void Debootstrap_leaves_its_downloaded_packages_behind()
    {
        var archives = Debian.At("IMG-017", "/var/cache/apt/archives");
        Assert.Contains(".deb packages", archives.Message, StringComparison.Ordinal);
        Assert.Equal(0, archives.Location.LayerIndex);
    }
}
