namespace Strata.Kernel;

/// <summary>Linux capabilities by number (include/uapi/linux/capability.h), and decoding of /proc capability masks.</summary>
public static class Capabilities
{
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>
    /// Capabilities that amount to root on the host or let a process leave its container
    /// (mount, module loading, raw devices, ptrace of other processes, BPF, …).
    /// </summary>
    public static readonly IReadOnlySet<string> Dangerous = new HashSet<string>(StringComparer.Ordinal)
    {
        "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_PTRACE", "CAP_SYS_BOOT", "CAP_MAC_ADMIN",
        "CAP_MAC_OVERRIDE", "CAP_BPF", "CAP_PERFMON", "CAP_DAC_READ_SEARCH", "CAP_NET_ADMIN", "CAP_SYSLOG",
        "CAP_SYS_TIME", "CAP_LINUX_IMMUTABLE", "CAP_AUDIT_CONTROL",
    };

    public static IReadOnlyList<string> All => Names;

    public static string NameOf(int number) => number >= 0 && number < Names.Length ? Names[number] : $"CAP_{number}";

    /// <summary>Normalises "sys_admin", "SYS_ADMIN" or "CAP_SYS_ADMIN" to "CAP_SYS_ADMIN".</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var upper = name.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
    }

    /// <summary>Decodes a hexadecimal mask as in /proc/PID/status (CapEff, CapBnd, …).</summary>
    public static IReadOnlyList<string> Decode(string hexMask)
    {
        ArgumentNullException.ThrowIfNull(hexMask);
        if (!ulong.TryParse(hexMask.Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var mask))
        {
            throw Strata.Core.StrataException.BadInput($"'{Strata.Core.Findings.Redaction.Quote(hexMask)}' is not a hexadecimal capability mask.");
        }

        var result = new List<string>();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((mask & (1UL << bit)) != 0)
            {
                result.Add(NameOf(bit));
            }
        }

        return result;
    }
}
