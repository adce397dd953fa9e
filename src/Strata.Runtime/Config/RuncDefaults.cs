namespace Strata.Runtime.Config;

/// <summary>What <c>runc spec</c> writes into a new config.json (runc 1.1), the baseline RUN-009 compares with; a test checks it against the installed runc.</summary>
public static class RuncDefaults
{
    public static IReadOnlyList<string> MaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ];

    public static IReadOnlyList<string> ReadonlyPaths { get; } = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];
}
