namespace Strata.Images.Tests;

using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Images.Tests.Support;
using Strata.Testing;

/// <summary>The same checks over a directory tree: paths but no layers, links resolved inside the tree only.</summary>
public sealed class ImageScannerRootFsTests : IDisposable
{
    private readonly TempDirectory root = new("strata-rootfs");

    public ImageScannerRootFsTests()
    {
        root.WriteFile("usr/lib/os-release", "ID=debian\nVERSION_ID=\"9\"\nPRETTY_NAME=\"Debian GNU/Linux 9 (stretch)\"\n");
        root.WriteFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n");
        root.WriteFile("etc/shadow", "root:*:19000:0:99999:7:::\ntoor::19000:0:99999:7:::\n");
        root.WriteFile("usr/bin/sudo", "fake\n");
        root.WriteFile("srv/.git/HEAD", "ref: refs/heads/main\n");
        Directory.CreateDirectory(root.Combine("bin"));

        // Whatever the umask: 0755 directories, 0644 files, then the planted modes.
        foreach (var directory in Directory.EnumerateDirectories(root.Path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        foreach (var file in Directory.EnumerateFiles(root.Path, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        }

        File.SetUnixFileMode(root.Combine("usr/bin/sudo"), (UnixFileMode)0b100_111_101_101);
        Directory.CreateDirectory(root.Combine("srv/drop"));
        File.SetUnixFileMode(root.Combine("srv/drop"), (UnixFileMode)0b111_111_111);
        File.CreateSymbolicLink(root.Combine("bin/sh"), "/usr/bin/sudo");

        // An absolute link must resolve inside the tree, never to the host's /etc/os-release.
        File.CreateSymbolicLink(root.Combine("etc/os-release"), "/usr/lib/os-release");
    }

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Rootfs_findings_have_paths_without_layers()
    {
        var scanner = new ImageScanner(BuiltInSecrets.Provider, new ImageScannerOptions { Time = FixedTime.FixtureDate });
        var findings = await scanner.ScanAsync(new ScanTarget(TargetKind.RootFs, "rootfs:" + root.Path, root.Path), new ScanContext(), CancellationToken.None);

        Assert.All(findings, f =>
        {
            Assert.Null(f.Location.LayerDigest);
            Assert.Null(f.Location.LayerIndex);
            Assert.Null(f.Location.CreatedBy);
            Assert.Equal("rootfs:" + root.Path, f.Target);
        });

        var eol = Assert.Single(findings, f => f.RuleId == "IMG-002");
        Assert.Equal("/usr/lib/os-release", eol.Location.Path);
        Assert.Equal(Severity.High, eol.Severity);
        Assert.Equal("/usr/bin/sudo", Assert.Single(findings, f => f.RuleId == "IMG-009").Location.Path);
        Assert.Equal("/srv/drop", Assert.Single(findings, f => f.RuleId == "IMG-010").Location.Path);
        Assert.Equal("/bin/sh", Assert.Single(findings, f => f.RuleId == "IMG-004").Location.Path);
        Assert.Equal("account toor", Assert.Single(findings, f => f.RuleId == "IMG-015").Location.Subject);
        Assert.Equal("uid 0", Assert.Single(findings, f => f.RuleId == "IMG-016").Location.Subject);
        Assert.Equal("/srv/.git", Assert.Single(findings, f => f.RuleId == "IMG-017").Location.Path);

        // Config checks and layer waste do not apply to a directory.
        Assert.DoesNotContain(findings, f => f.RuleId is "IMG-011" or "IMG-012" or "IMG-013" or "IMG-014" or "IMG-018");
    }

    [Fact]
    public async Task Rootfs_entries_carry_owner_and_full_mode_from_statx()
    {
        var scanner = new ImageScanner(BuiltInSecrets.Provider);
        var (view, _) = await scanner.ReadRootFsAsync(new ScanTarget(TargetKind.RootFs, root.Path, root.Path), new ScanContext(), CancellationToken.None);
        var sudo = view.Find("/usr/bin/sudo");
        Assert.NotNull(sudo);
        Assert.Equal("-rwsr-xr-x", sudo.Entry.ModeString);
        var owner = (await ExternalTool.RunCheckedAsync("stat", "-c", "%u %g", root.Combine("usr/bin/sudo"))).Trim();
        Assert.Equal(owner, FormattableString.Invariant($"{sudo.Entry.Uid} {sudo.Entry.Gid}"));
        Assert.Equal(5, sudo.Entry.Size);
        Assert.Equal("/usr/bin/sudo", view.Find("bin/sh")?.Entry.LinkTarget);
        Assert.True(view.IsRootFs);
        Assert.Empty(view.Layers);
    }

    [Fact]
    public async Task A_tree_wide_at_every_level_is_walked_whole_though_few_handles_stay_open()
    {
        // At each of 150 levels a directory to descend into and one still to walk: more pending directories than the
        // walker keeps handles for, so it must open the shallower ones again by name when it comes back to them.
        using var comb = new TempDirectory("strata-rootfs-comb");
        var level = comb.Path;
        for (var i = 0; i < 150; i++)
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(level, "b")).FullName, "leaf"), "x");
            level = Directory.CreateDirectory(Path.Combine(level, "a")).FullName;
        }

        var scanner = new ImageScanner(BuiltInSecrets.Provider);
        var (view, _) = await scanner.ReadRootFsAsync(new ScanTarget(TargetKind.RootFs, comb.Path, comb.Path), new ScanContext(), CancellationToken.None);
        Assert.Equal(150, view.Files.Count(f => f.Key.EndsWith("/b/leaf", StringComparison.Ordinal) || f.Key == "b/leaf"));
        Assert.Empty(view.Skipped);
        Assert.Contains(view.Files, f => f.Key == string.Concat(Enumerable.Repeat("a/", 149)) + "b/leaf");
    }
}
