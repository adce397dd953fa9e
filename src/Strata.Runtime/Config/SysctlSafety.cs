namespace Strata.Runtime.Config;

/// <summary>How far a sysctl set for a container reaches.</summary>
public enum SysctlReach
{
    /// <summary>In Kubernetes' safe set: namespaced and isolated from other pods.</summary>
    Safe,

    /// <summary>Namespaced (IPC, network, UTS), so confined to the container's namespaces, but not in the safe set: it can starve or disturb the node.</summary>
    Namespaced,

    /// <summary>Not namespaced: writing it changes the whole host (runc refuses these unless the namespace is the host's).</summary>
    Host,
}

/// <summary>Kubernetes' safe sysctl set and the kernel's namespaced sysctls, as the kubelet and runc tell them apart.</summary>
public static class SysctlSafety
{
    /// <summary>The safe set of Kubernetes 1.32 (kubelet <c>SafeSysctlAllowlist</c>).</summary>
    public static IReadOnlySet<string> Safe { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    };

    // runc's validation: IPC (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*), network (net.*), UTS (kernel.hostname, kernel.domainname).
    private static readonly string[] IpcPrefixes = ["kernel.msg", "kernel.shm", "fs.mqueue."];

    public static SysctlReach Classify(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Replace('/', '.');
        if (Safe.Contains(key))
        {
            return SysctlReach.Safe;
        }

        return key.StartsWith("net.", StringComparison.Ordinal) || key == "kernel.sem" || key is "kernel.hostname" or "kernel.domainname" || IpcPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))
            ? SysctlReach.Namespaced
            : SysctlReach.Host;
    }
}
