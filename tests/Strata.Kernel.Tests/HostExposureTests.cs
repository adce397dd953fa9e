namespace Strata.Kernel.Tests;

using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Testing;

/// <summary>cgroup v1, nf_tables, MAC LSMs and seccomp support on host trees laid out like /proc and /sys.</summary>
public sealed class HostExposureTests
{
    private static async Task<List<Finding>> ScanAsync(TempDirectory root) =>
        [.. await new HostScanner().ScanAsync(new ScanTarget(TargetKind.Host, "host", "/"), new ScanContext { HostRoot = root.Path }, CancellationToken.None)];

    [Fact]
    public async Task Cgroup_v1_hierarchies_are_flagged_and_the_unified_one_is_not()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/mounts", "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\nproc /proc proc rw 0 0\n");
        Assert.DoesNotContain(await ScanAsync(root), f => f.RuleId == "KRN-020");

        root.WriteFile("proc/mounts", "tmpfs /sys/fs/cgroup tmpfs rw 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\ncgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n");
        var finding = Assert.Single(await ScanAsync(root), f => f.RuleId == "KRN-020");
        Assert.StartsWith("2 cgroup v1 hierarchies are mounted (/sys/fs/cgroup/memory, /sys/fs/cgroup/pids)", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nf_tables 286720 0 - Live 0x0\n", "63000", null, true)]
    [InlineData("nf_tables 286720 0 - Live 0x0\n", "63000", "0", false)]
    [InlineData("nf_tables 286720 0 - Live 0x0\n", "0", null, false)]
    [InlineData("nf_conntrack 180224 0 - Live 0x0\n", "63000", null, false)]
    public async Task Nf_tables_counts_only_when_user_namespaces_reach_it(string modules, string limit, string? debianSwitch, bool flagged)
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/modules", modules);
        root.WriteFile("proc/sys/user/max_user_namespaces", limit + "\n");
        if (debianSwitch is not null)
        {
            root.WriteFile("proc/sys/kernel/unprivileged_userns_clone", debianSwitch + "\n");
        }

        Assert.Equal(flagged, (await ScanAsync(root)).Any(f => f.RuleId == "KRN-021"));
    }

    [Fact]
    public async Task A_built_in_nf_tables_shows_in_sys_module()
    {
        using var root = new TempDirectory();
        root.WriteFile("sys/module/nf_tables/parameters/.keep", string.Empty);
        root.WriteFile("proc/sys/user/max_user_namespaces", "63000\n");
        Assert.Contains(await ScanAsync(root), f => f.RuleId == "KRN-021");
    }

    [Theory]
    [InlineData("lockdown,capability,landlock,yama", null, true)]
    [InlineData("lockdown,capability,landlock,yama,apparmor", null, false)]
    [InlineData("capability,selinux", "1", false)]
    [InlineData("capability,selinux", "0", true)]
    public async Task A_mac_lsm_must_be_active_and_enforcing(string lsm, string? enforce, bool flagged)
    {
        using var root = new TempDirectory();
        root.WriteFile("sys/kernel/security/lsm", lsm);
        if (enforce is not null)
        {
            root.WriteFile("sys/fs/selinux/enforce", enforce);
        }

        Assert.Equal(flagged, (await ScanAsync(root)).Any(f => f.RuleId == "KRN-022"));
    }

    [Fact]
    public async Task Each_unconfined_container_is_reported_once_with_its_engine_and_id()
    {
        const string docker = "4b825dc642cb6eb9a060e54bf8d69288fbee4904e6f7a2a6e6f1d3d1e3f1a2b3";
        const string containerd = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        const string confined = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        using var root = new TempDirectory();
        root.WriteFile("sys/kernel/security/lsm", "lockdown,capability,yama,apparmor");
        void Process(int pid, string cgroup, string label)
        {
            root.WriteFile($"proc/{pid}/cgroup", cgroup + "\n");
            root.WriteFile($"proc/{pid}/attr/current", label + "\n");
        }

        Process(1, "0::/init.scope", "unconfined");
        Process(300, $"0::/system.slice/docker-{docker}.scope", "unconfined");
        Process(301, $"0::/system.slice/docker-{docker}.scope", "unconfined");
        Process(400, $"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-{containerd}.scope", "cri-containerd.apparmor.d (complain)");
        Process(500, $"0::/system.slice/docker-{confined}.scope", "docker-default (enforce)");

        var findings = (await ScanAsync(root)).Where(f => f.RuleId == "KRN-025").ToList();
        Assert.Equal(["docker 4b825dc642cb", "containerd 9f86d081884c"], findings.Select(f => f.Location.Subject));
        Assert.Contains("(pid 300)", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("'cri-containerd.apparmor.d (complain)'", findings[1].Message, StringComparison.Ordinal);

        // SELinux permissive: KRN-022's finding, not one per container.
        root.WriteFile("sys/kernel/security/lsm", "capability,selinux");
        root.WriteFile("sys/fs/selinux/enforce", "0");
        Assert.DoesNotContain(await ScanAsync(root), f => f.RuleId == "KRN-025");
    }

    [Theory]
    [InlineData("Name:\tstrata\nSeccomp:\t0\nSeccomp_filters:\t0\n", "kill_process kill_thread trap errno user_notif trace log allow", false)]
    [InlineData("Name:\tstrata\n", null, true)]
    [InlineData("Name:\tstrata\nSeccomp:\t0\n", "kill_process allow", true)]
    public async Task Seccomp_filter_support_is_required(string status, string? actions, bool flagged)
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/status", status);
        if (actions is not null)
        {
            root.WriteFile("proc/sys/kernel/seccomp/actions_avail", actions + "\n");
        }

        Assert.Equal(flagged, (await ScanAsync(root)).Any(f => f.RuleId == "KRN-023"));
    }
}
