namespace Strata.Kernel.Containment;

using System.Globalization;

/// <summary>What a container can reach of its host through its mounts and device nodes.</summary>
public enum ExposureKind
{
    /// <summary>A container engine's or the kubelet's API socket: whoever reaches it starts privileged containers.</summary>
    RuntimeSocket,

    /// <summary>The host's root filesystem, or a whole host filesystem, mounted in the container.</summary>
    HostRoot,

    /// <summary>A host directory that holds host state (kubelet, engine storage, /etc, logs, kernel modules).</summary>
    HostDirectory,

    /// <summary>A part of /proc or /sys that runtimes mount read-only is writable.</summary>
    WritableKernelInterface,

    /// <summary>A /proc or /sys file that runtimes mask (kernel memory, keys, timers) is visible.</summary>
    UnmaskedKernelFile,

    /// <summary>The cgroup filesystem is writable with a v1 release_agent: the CVE-2022-0492 escape.</summary>
    WritableCgroup,

    /// <summary>A host block device or kernel-memory character device node.</summary>
    DeviceNode,

    /// <summary>The devices cgroup lets the container open every device.</summary>
    AllDevicesAllowed,
}

/// <summary>One thing of the host the container can reach, with the path it shows at and why it matters.</summary>
public sealed record Exposure(ExposureKind Kind, string Path, string Detail);

/// <summary>Finds the container's exposures in its mount table, its /dev and its devices cgroup.</summary>
public static class ExposureScan
{
    /// <summary>Socket names of container engines, CRI runtimes, BuildKit and the kubelet.</summary>
    private static readonly (string Name, string Owner)[] Sockets =
    [
        ("docker.sock", "Docker"),
        ("containerd.sock", "containerd"),
        ("crio.sock", "CRI-O"),
        ("podman.sock", "Podman"),
        ("dockershim.sock", "dockershim"),
        ("cri-dockerd.sock", "cri-dockerd"),
        ("buildkitd.sock", "BuildKit"),
        ("kubelet.sock", "the kubelet"),
        ("lxd/unix.socket", "LXD"),
        ("incus/unix.socket", "Incus"),
        ("frakti.sock", "Frakti"),
        ("rktlet.sock", "rktlet"),
    ];

    /// <summary>Where those sockets live on hosts, checked even when no mount sits exactly there.</summary>
    private static readonly string[] SocketPaths =
    [
        "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
        "/run/crio/crio.sock", "/var/run/crio/crio.sock", "/run/podman/podman.sock", "/var/run/podman/podman.sock",
        "/var/run/dockershim.sock", "/run/cri-dockerd.sock", "/var/run/cri-dockerd.sock", "/run/k3s/containerd/containerd.sock",
        "/run/buildkit/buildkitd.sock", "/var/lib/kubelet/device-plugins/kubelet.sock", "/var/snap/lxd/common/lxd/unix.socket",
    ];

    /// <summary>Host directories whose mount gives a container host state, and what each holds.</summary>
    private static readonly (string Path, string Holds)[] HostDirectories =
    [
        ("/var/lib/kubelet", "the kubelet's pods, volumes and their secrets"),
        ("/etc/kubernetes", "the node's kubeconfigs and PKI"),
        ("/var/lib/docker", "Docker's images, containers and volumes"),
        ("/var/lib/containerd", "containerd's images and snapshots"),
        ("/var/lib/containers", "Podman's and CRI-O's storage"),
        ("/run/containerd", "containerd's state and sockets"),
        ("/var/run/docker", "Docker's runtime state"),
        ("/var/log", "host logs (a symlink planted there is followed by the kubelet's log reader)"),
        ("/etc", "the host's configuration (passwd, shadow, sudoers, cron)"),
        ("/root", "root's home (SSH keys)"),
        ("/home", "users' homes (SSH keys, credentials)"),
        ("/boot", "the kernel and boot loader"),
        ("/lib/modules", "kernel modules"),
        ("/usr/lib/modules", "kernel modules"),
        ("/dev", "every host device node"),
        ("/proc", "a host procfs"),
        ("/sys", "a host sysfs"),
        ("/var/run", "host runtime state and sockets"),
        ("/run", "host runtime state and sockets"),
    ];

    /// <summary>Read-only in the runtimes' defaults (runc's spec template, Docker, containerd, CRI-O).</summary>
    private static readonly string[] ReadOnlyByDefault = ["/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"];

    /// <summary>Masked in the runtimes' defaults, and what each shows.</summary>
    private static readonly (string Path, string Shows)[] MaskedByDefault =
    [
        ("/proc/kcore", "the kernel's memory as a core file"),
        ("/proc/keys", "the kernel keyrings of every user"),
        ("/proc/timer_list", "kernel timers (pointers, for KASLR bypass)"),
        ("/proc/sched_debug", "every process on the host"),
        ("/proc/latency_stats", "kernel latency data"),
        ("/proc/timer_stats", "kernel timer statistics"),
        ("/proc/acpi", "ACPI controls"),
        ("/proc/scsi", "SCSI controls"),
        ("/sys/firmware", "firmware tables (ACPI, EFI variables)"),
    ];

    /// <summary>Filesystems a host root or data disk is made of; a bind of their "/" is a whole host filesystem.</summary>
    private static readonly string[] DiskFileSystems = ["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "bcachefs"];

    public static IReadOnlyList<Exposure> Find(HostSnapshot host, MountTable? mounts)
    {
        ArgumentNullException.ThrowIfNull(host);
        var found = new List<Exposure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(ExposureKind kind, string path, string detail)
        {
            if (seen.Add(kind + "\0" + path))
            {
                found.Add(new Exposure(kind, path, detail));
            }
        }

        if (mounts is not null)
        {
            var rootMount = mounts.RootMount;
            foreach (var mount in mounts.Mounts)
            {
                if (mount.MountPoint == "/")
                {
                    continue;
                }

                if ((SocketOwner(mount.MountPoint) ?? SocketOwner(mount.Root)) is { } owner)
                {
                    Add(ExposureKind.RuntimeSocket, mount.MountPoint, $"{owner}'s API socket (from the host's {mount.Root}){(mount.ReadOnly ? "; a read-only mount does not stop connecting to it" : string.Empty)}");
                    continue;
                }

                if (mount.Root == "/" && DiskFileSystems.Contains(mount.FileSystem))
                {
                    var hostRoot = rootMount is not null && rootMount.Device == mount.Device
                        || host.Exists(mount.MountPoint + "/etc/passwd") && host.Exists(mount.MountPoint + "/proc");
                    Add(ExposureKind.HostRoot, mount.MountPoint, hostRoot
                        ? $"the host's root filesystem ({mount.Source}, {mount.FileSystem}, {(mount.ReadOnly ? "read-only" : "writable")}): chroot there is a host shell"
                        : $"a whole host filesystem ({mount.Source}, {mount.FileSystem}, {(mount.ReadOnly ? "read-only" : "writable")})");
                    continue;
                }

                if (mount.FileSystem is "proc" && mount.MountPoint != "/proc" && !mount.MountPoint.StartsWith("/proc/", StringComparison.Ordinal))
                {
                    Add(ExposureKind.HostDirectory, mount.MountPoint, "a procfs mounted outside /proc (a host /proc when the container shares the host's PID namespace)");
                    continue;
                }

                foreach (var (path, holds) in HostDirectories)
                {
                    if (Within(mount.Root, path))
                    {
                        Add(ExposureKind.HostDirectory, mount.MountPoint, $"the host's {mount.Root}: {holds} ({(mount.ReadOnly ? "read-only" : "writable")})");
                        break;
                    }
                }
            }

            foreach (var path in ReadOnlyByDefault)
            {
                if (host.Exists(path) && mounts.At(path) is { ReadOnly: false } mount && mount.FileSystem == "proc")
                {
                    Add(ExposureKind.WritableKernelInterface, path, "writable: " + path switch
                    {
                        "/proc/sysrq-trigger" => "one write reboots or crashes the host (echo c > /proc/sysrq-trigger)",
                        "/proc/sys" => "host-wide kernel settings such as kernel.core_pattern, whose helper the kernel runs as host root",
                        "/proc/irq" => "interrupt routing of the host's CPUs",
                        "/proc/bus" => "PCI and USB device configuration of the host",
                        _ => "host filesystem and NFS settings",
                    });
                }
            }

            if (host.Exists("/sys") && mounts.At("/sys") is { ReadOnly: false, FileSystem: "sysfs" })
            {
                Add(ExposureKind.WritableKernelInterface, "/sys", "sysfs is writable: /sys/kernel/uevent_helper and device attributes reach the host kernel");
            }

            foreach (var (path, shows) in MaskedByDefault)
            {
                if (host.Exists(path) && mounts.ExactlyAt(path) is null && mounts.At(path) is { FileSystem: "proc" or "sysfs" })
                {
                    Add(ExposureKind.UnmaskedKernelFile, path, $"not masked: {shows}");
                }
            }

            if (mounts.Mounts.Any(m => m.FileSystem == "cgroup" && !m.ReadOnly) && ReleaseAgent(host, mounts) is { } agent)
            {
                Add(ExposureKind.WritableCgroup, agent, "a writable cgroup v1 hierarchy with release_agent: the kernel runs that program as host root (CVE-2022-0492)");
            }
        }

        foreach (var path in SocketPaths)
        {
            if (host.Exists(path) && SocketOwner(path) is { } owner)
            {
                Add(ExposureKind.RuntimeSocket, path, $"{owner}'s API socket");
            }
        }

        if (host.Read("/sys/fs/cgroup/devices/devices.list") is { } devices && devices.Split('\n').Any(l => l.Trim() == "a *:* rwm"))
        {
            Add(ExposureKind.AllDevicesAllowed, "/sys/fs/cgroup/devices/devices.list", "a *:* rwm: the container may create and open every device, host disks included");
        }

        foreach (var device in DeviceNodes(host))
        {
            Add(ExposureKind.DeviceNode, device.Path, device.Detail);
        }

        return found;
    }

    /// <summary>
    /// The mount's root is the host directory itself, or (for state directories) one level below it. Deeper is a
    /// container's own data that engines mount as a matter of course: /var/lib/docker/containers/ID/hostname,
    /// /var/lib/docker/volumes/NAME/_data, /var/lib/kubelet/pods/UID/volumes/….
    /// </summary>
    private static bool Within(string root, string directory)
    {
        if (root == directory)
        {
            return true;
        }

        if (directory is "/run" or "/var/run" or "/etc" or "/dev" or "/proc" or "/sys" or "/home" or "/root" || !root.StartsWith(directory + "/", StringComparison.Ordinal))
        {
            return false;
        }

        return !root[(directory.Length + 1)..].Contains('/', StringComparison.Ordinal);
    }

    private static string? SocketOwner(string path) =>
        Sockets.FirstOrDefault(s => path.EndsWith("/" + s.Name, StringComparison.Ordinal) || path == s.Name).Owner;

    private static string? ReleaseAgent(HostSnapshot host, MountTable mounts)
    {
        foreach (var mount in mounts.Mounts.Where(m => m.FileSystem == "cgroup" && !m.ReadOnly))
        {
            var agent = mount.MountPoint.TrimEnd('/') + "/release_agent";
            if (host.Exists(agent))
            {
                return agent;
            }
        }

        return null;
    }

    /// <summary>Block devices and kernel-memory character devices in /dev and one level below it.</summary>
    private static IEnumerable<(string Path, string Detail)> DeviceNodes(HostSnapshot host)
    {
        var candidates = host.List("/dev", 4096).Select(n => "/dev/" + n).ToList();
        foreach (var sub in candidates.ToList())
        {
            if (sub is not ("/dev/pts" or "/dev/shm" or "/dev/mqueue" or "/dev/fd") && Directory.Exists(host.Resolve(sub)) && !File.Exists(host.Resolve(sub)))
            {
                candidates.AddRange(host.List(sub, 1024).Select(n => sub + "/" + n));
            }
        }

        foreach (var path in candidates)
        {
            if (NativeMethods.Stat(host.Resolve(path)) is not { } stat)
            {
                continue;
            }

            var type = stat.Mode & NativeMethods.TypeMask;
            var number = string.Create(CultureInfo.InvariantCulture, $"{stat.Major}:{stat.Minor}");
            if (type == NativeMethods.BlockDevice)
            {
                yield return (path, $"block device {number}: raw access to a host block device (debugfs, mount) bypasses every file permission");
            }
            else if (type == NativeMethods.CharacterDevice && stat.Major == 1 && stat.Minor is 1 or 2 or 4)
            {
                yield return (path, $"character device {number}: physical memory or I/O ports of the host");
            }
            else if (type == NativeMethods.CharacterDevice && stat.Major == 1 && stat.Minor == 11)
            {
                yield return (path, $"character device {number}: the kernel log (/dev/kmsg): addresses for exploits, writable log injection");
            }
        }
    }
}
