namespace Strata.Kernel.Containment;

using System.Globalization;

/// <summary>
/// One namespace of this process (/proc/self/ns/TYPE) against PID 1's as this process sees it, and against the host's
/// initial namespace where the kernel gives that a fixed inode number (include/linux/proc_ns.h).
/// </summary>
/// <param name="Type">cgroup, ipc, mnt, net, pid, time, user or uts.</param>
/// <param name="Inode">This process's namespace inode, or null when /proc/self/ns cannot be read.</param>
/// <param name="Pid1Inode">PID 1's namespace inode, or null when it cannot be read (another user's process without CAP_SYS_PTRACE).</param>
/// <param name="Initial">True when this is the host's initial namespace, false when it is another, null when the kernel gives no fixed number (mnt, net).</param>
public sealed record NamespaceState(string Type, ulong? Inode, ulong? Pid1Inode, bool? Initial)
{
    /// <summary>The namespace types in /proc/PID/ns order.</summary>
    public static IReadOnlyList<string> Types { get; } = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"];

    /// <summary>The inode numbers of the initial namespaces (PROC_*_INIT_INO); mnt and net are allocated at boot.</summary>
    private static readonly Dictionary<string, ulong> InitialInodes = new(StringComparer.Ordinal)
    {
        ["ipc"] = 0xEFFFFFFF,
        ["uts"] = 0xEFFFFFFE,
        ["user"] = 0xEFFFFFFD,
        ["pid"] = 0xEFFFFFFC,
        ["cgroup"] = 0xEFFFFFFB,
        ["time"] = 0xEFFFFFFA,
    };

    /// <summary>True when the namespace is known to be the host's: the initial one, or (mnt, net) the same as a PID 1 that is itself the host's init.</summary>
    public bool SharedWithHost => Initial == true;

    /// <summary>A short word for reports: host, separate, or unknown.</summary>
    public string Verdict => Initial switch
    {
        true => "host",
        false => "separate",
        null => Inode is null ? "unknown" : "not decidable",
    };

    public static IReadOnlyList<NamespaceState> Read(HostSnapshot host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return [.. Types.Select(type =>
        {
            var self = ParseInode(host.LinkText("/proc/self/ns/" + type), type);
            var pid1 = ParseInode(host.LinkText("/proc/1/ns/" + type), type);
            bool? initial = self is { } number && InitialInodes.TryGetValue(type, out var init) ? number == init : null;
            return new NamespaceState(type, self, pid1, initial);
        })];
    }

    /// <summary>The inode of "TYPE:[INODE]", or null.</summary>
    internal static ulong? ParseInode(string? link, string type)
    {
        if (link is null || !link.StartsWith(type + ":[", StringComparison.Ordinal) || !link.EndsWith(']'))
        {
            return null;
        }

        return ulong.TryParse(link.AsSpan(type.Length + 2, link.Length - type.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var inode) ? inode : null;
    }
}

/// <summary>One line of /proc/PID/uid_map or gid_map: IDs inside, IDs outside (in the parent user namespace), count.</summary>
public sealed record IdMapping(long Inside, long Outside, long Count)
{
    /// <summary>The initial user namespace's map: every ID to itself.</summary>
    public bool IsIdentity => Inside == 0 && Outside == 0 && Count == 4294967295;

    /// <summary>What ID 0 inside maps to outside, or null when 0 is not mapped by this line.</summary>
    public long? RootOutside => Inside == 0 && Count > 0 ? Outside : null;

    public static IReadOnlyList<IdMapping> Parse(string? text)
    {
        if (text is null)
        {
            return [];
        }

        var mappings = new List<IdMapping>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(340))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3
                && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var inside)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var outside)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                mappings.Add(new IdMapping(inside, outside, count));
            }
        }

        return mappings;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Inside}->{Outside} ({Count})");
}
