namespace Strata.Kernel.Tests;

using Strata.Core;
using Strata.Kernel.Containment;
using Strata.Testing;

/// <summary>
/// The facts `strata inside` reads, on trees laid out like a container's /proc, /sys and /run: mount tables, namespaces,
/// engines, LSM labels, exposures. The real thing runs in tests/Strata.Cli.Tests/InsideRuncTests.cs.
/// </summary>
public sealed class ContainmentTests
{
    private const string DockerOverlayRoot = "1 0 0:50 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/AB:/var/lib/docker/overlay2/l/CD,upperdir=/var/lib/docker/overlay2/0f/diff,workdir=/var/lib/docker/overlay2/0f/work\n";

    [Fact]
    public void Mountinfo_is_parsed_with_optional_fields_and_octal_escapes()
    {
        var table = MountTable.Parse(
            "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue\n"
            + "37 36 0:5 / /proc ro,nosuid - proc proc rw\n"
            + "38 37 0:5 /sys /proc/sys rw - proc proc rw\n",
            "mountinfo");

        var first = table.Mounts[0];
        Assert.Equal("/mnt/with space", first.MountPoint);
        Assert.Equal("/mnt1", first.Root);
        Assert.Equal("ext3", first.FileSystem);
        Assert.Equal("/dev/root", first.Source);
        Assert.False(first.ReadOnly);
        Assert.True(table.At("/proc/self")!.ReadOnly);
        Assert.False(table.At("/proc/sys/kernel")!.ReadOnly);
        Assert.Null(table.At("/procfoo")); // no mount of "/" in this table, and /proc does not cover /procfoo
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("1 0 0:1 / / rw shared:1 ext4 /dev/sda rw")]
    [InlineData("x 0 0:1 / / rw - ext4 /dev/sda rw")]
    public void Malformed_mountinfo_names_the_line(string line)
    {
        var error = Assert.Throws<StrataException>(() => MountTable.Parse("1 0 0:1 / / rw - ext4 /dev/sda rw\n" + line + "\n", "/proc/self/mountinfo"));
        Assert.StartsWith("/proc/self/mountinfo:2: not a mountinfo line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_are_told_apart_from_the_hosts_by_their_fixed_inode_numbers()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/ns/pid", "pid:[4026531836]");
        root.WriteFile("proc/self/ns/ipc", "ipc:[4026532178]");
        File.CreateSymbolicLink(root.Combine("proc/self/ns/uts"), "uts:[4026532177]");
        root.WriteFile("proc/self/ns/net", "net:[4026532180]");
        root.WriteFile("proc/1/ns/net", "net:[4026532180]");

        var namespaces = NamespaceState.Read(new HostSnapshot(root.Path)).ToDictionary(n => n.Type);
        Assert.Equal("host", namespaces["pid"].Verdict);
        Assert.Equal("separate", namespaces["ipc"].Verdict);
        Assert.Equal("separate", namespaces["uts"].Verdict);
        Assert.Equal(4026532177UL, namespaces["uts"].Inode);
        Assert.Equal("not decidable", namespaces["net"].Verdict);
        Assert.Equal(namespaces["net"].Inode, namespaces["net"].Pid1Inode);
        Assert.Equal("unknown", namespaces["time"].Verdict);
    }

    [Theory]
    [InlineData("docker", false, "/.dockerenv=", "proc/self/mountinfo=" + DockerOverlayRoot)]
    [InlineData("podman", false, "/run/.containerenv=engine=\"podman-4.3.1\"\nname=\"web\"\n")]
    [InlineData("cri-o", true, "/proc/self/cgroup=0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/crio-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n")]
    [InlineData("containerd", true, "/proc/self/cgroup=0::/kubepods.slice/kubepods-pod2.slice/cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n")]
    [InlineData("lxc", false, "/proc/1/environ=PATH=/bin\0container=lxc\0")]
    [InlineData("systemd-nspawn", false, "/run/systemd/container=systemd-nspawn\n")]
    [InlineData("docker", false, "/proc/self/cgroup=12:pids:/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n")]
    [InlineData(null, true, "/var/run/secrets/kubernetes.io/serviceaccount/token=x")]
    public void Engines_are_recognised_by_their_marks(string? engine, bool kubernetes, params string[] files)
    {
        using var root = new TempDirectory();
        foreach (var file in files)
        {
            var equals = file.IndexOf('=', StringComparison.Ordinal);
            root.WriteFile(file[..equals].TrimStart('/'), file[(equals + 1)..]);
        }

        var view = new HostSnapshot(root.Path).Containment;
        Assert.True(view.InContainer);
        Assert.Equal(engine, view.Runtime.Engine);
        Assert.Equal(kubernetes, view.Runtime.Kubernetes);
        Assert.NotEmpty(view.Runtime.Evidence);
    }

    [Fact]
    public void A_plain_host_is_not_a_container()
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/ns/pid", "pid:[4026531836]");
        root.WriteFile("proc/self/mountinfo", "22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n");
        root.WriteFile("proc/self/cgroup", "0::/user.slice/user-1000.slice/session-2.scope\n");
        Assert.False(new HostSnapshot(root.Path).Containment.InContainer);

        // A btrfs host mounts a subvolume as its root: that is not a container bundle.
        root.WriteFile("proc/self/mountinfo", "22 1 0:30 /@ / rw,relatime - btrfs /dev/nvme0n1p2 rw,ssd,subvolid=256,subvol=/@\n");
        Assert.False(new HostSnapshot(root.Path).Containment.InContainer);
    }

    [Theory]
    [InlineData("docker-default (enforce)", "apparmor", true)]
    [InlineData("cri-containerd.apparmor.d (complain)", "apparmor", false)]
    [InlineData("unconfined", "apparmor", false)]
    [InlineData("system_u:system_r:container_t:s0:c12,c345", "selinux", true)]
    [InlineData("system_u:system_r:spc_t:s0", "selinux", false)]
    [InlineData("unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", "selinux", false)]
    public void Security_labels_say_whether_they_confine(string label, string module, bool confined)
    {
        using var root = new TempDirectory();
        root.WriteFile("proc/self/attr/current", label + "\n\0");
        var read = SecurityLabel.Read(new HostSnapshot(root.Path));
        Assert.Equal(module, read.Module);
        Assert.Equal(label, read.Label);
        Assert.Equal(confined, read.Confined);
    }

    [Fact]
    public void Engine_bind_mounts_of_the_containers_own_files_are_not_exposures()
    {
        using var root = new TempDirectory();
        root.WriteFile(".dockerenv", string.Empty);
        root.WriteFile("proc/self/mountinfo", DockerOverlayRoot
            + "2 1 254:1 /var/lib/docker/containers/0f1e/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw\n"
            + "3 1 254:1 /var/lib/docker/containers/0f1e/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw\n"
            + "4 1 254:1 /var/lib/docker/volumes/data/_data /data rw,relatime - ext4 /dev/vda1 rw\n"
            + "5 1 254:1 /var/lib/kubelet/pods/0c1d/volumes/kubernetes.io~configmap/cfg /cfg ro,relatime - ext4 /dev/vda1 rw\n");
        Assert.Empty(new HostSnapshot(root.Path).Containment.Exposures);
    }

    [Fact]
    public void Host_root_sockets_and_state_are_exposures()
    {
        using var root = new TempDirectory();
        root.WriteFile(".dockerenv", string.Empty);
        root.WriteFile("proc/self/mountinfo", "1 0 254:1 /var/lib/docker/overlay2/0f/merged / rw - ext4 /dev/vda1 rw\n"
            + "2 1 254:1 / /host ro,relatime - ext4 /dev/vda1 rw\n"
            + "3 1 0:24 /containerd/containerd.sock /run/containerd/containerd.sock rw - tmpfs tmpfs rw\n"
            + "4 1 254:1 /etc/kubernetes /etc/kubernetes ro - ext4 /dev/vda1 rw\n"
            + "5 1 254:1 /var/log /var/log rw - ext4 /dev/vda1 rw\n");
        var exposures = new HostSnapshot(root.Path).Containment.Exposures.ToDictionary(e => e.Path);
        Assert.Equal(ExposureKind.HostRoot, exposures["/host"].Kind);
        Assert.Contains("the host's root filesystem", exposures["/host"].Detail, StringComparison.Ordinal);
        Assert.Equal(ExposureKind.RuntimeSocket, exposures["/run/containerd/containerd.sock"].Kind);
        Assert.Equal(ExposureKind.HostDirectory, exposures["/etc/kubernetes"].Kind);
        Assert.Equal(ExposureKind.HostDirectory, exposures["/var/log"].Kind);
        Assert.Equal(4, exposures.Count);
    }

    [Fact]
    public void User_namespace_mapping_decides_whether_root_is_host_root()
    {
        using var root = new TempDirectory();
        root.WriteFile(".dockerenv", string.Empty);
        root.WriteFile("proc/self/uid_map", "         0     100000      65536\n");
        root.WriteFile("proc/self/ns/user", "user:[4026532290]");
        var view = new HostSnapshot(root.Path).Containment;
        Assert.False(view.RootIsHostRoot);
        Assert.Equal(100000, Assert.Single(view.UidMap).Outside);

        root.WriteFile("proc/self/uid_map", "         0          0 4294967295\n");
        root.WriteFile("proc/self/ns/user", "user:[4026531837]");
        Assert.True(new HostSnapshot(root.Path).Containment.RootIsHostRoot);
    }

    [Fact]
    public async Task A_fifo_or_device_in_a_copied_tree_is_not_read()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("proc", "self"));
        await ExternalTool.RunCheckedAsync("mkfifo", root.Combine("proc", "self", "status"));
        File.CreateSymbolicLink(root.Combine("proc", "self", "mountinfo"), "/dev/zero");

        var read = Task.Run(() => new HostSnapshot(root.Path).Containment);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))));
        var view = await read;
        Assert.Null(view.Capabilities);
        Assert.Null(view.Mounts);
    }
}
