namespace Strata.Kernel.Containment;

/// <summary>
/// The Linux security module label of this process: AppArmor's profile and mode (<c>docker-default (enforce)</c>,
/// <c>unconfined</c>) or SELinux's context (<c>system_u:system_r:container_t:s0:c1,c2</c>), from
/// /proc/self/attr/apparmor/current (Linux 5.1+, stacking) or /proc/self/attr/current.
/// </summary>
/// <param name="Module">apparmor, selinux, or null when no module labels the process.</param>
/// <param name="Label">The label as the kernel prints it, or null.</param>
/// <param name="Confined">False for AppArmor's unconfined and for SELinux's unconfined and super-privileged types (spc_t, unconfined_t, kernel_t).</param>
/// <param name="ActiveModules">/sys/kernel/security/lsm, when securityfs is visible (it rarely is inside a container).</param>
public sealed record SecurityLabel(string? Module, string? Label, bool Confined, string? Mode, IReadOnlyList<string> ActiveModules)
{
    private static readonly string[] UnconfinedSelinuxTypes = ["spc_t", "unconfined_t", "kernel_t", "initrc_t", "unconfined_service_t"];

    public static SecurityLabel Read(HostSnapshot host) => Read(host, "self");

    /// <summary>The label of process <paramref name="pid"/> ("self" for this one).</summary>
    public static SecurityLabel Read(HostSnapshot host, string pid)
    {
        ArgumentNullException.ThrowIfNull(host);
        var active = host.Read("/sys/kernel/security/lsm")?.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var apparmor = Clean(host.Read($"/proc/{pid}/attr/apparmor/current"));
        var current = Clean(host.Read($"/proc/{pid}/attr/current"));
        if (apparmor is not null)
        {
            return AppArmor(apparmor, active);
        }

        if (current is null)
        {
            return new SecurityLabel(null, null, false, null, active);
        }

        // An SELinux context has at least user:role:type; an AppArmor label is a profile name, optionally "(mode)".
        var parts = current.Split(':');
        if (parts.Length >= 3 && !current.Contains(' ', StringComparison.Ordinal) && !current.Contains('(', StringComparison.Ordinal))
        {
            var type = parts[2];
            return new SecurityLabel("selinux", current, !UnconfinedSelinuxTypes.Contains(type), null, active);
        }

        return AppArmor(current, active);
    }

    private static SecurityLabel AppArmor(string label, IReadOnlyList<string> active)
    {
        if (label == "unconfined")
        {
            return new SecurityLabel("apparmor", label, false, "unconfined", active);
        }

        var open = label.LastIndexOf(" (", StringComparison.Ordinal);
        var mode = open > 0 && label.EndsWith(')') ? label[(open + 2)..^1] : "enforce";
        // complain and kill modes: complain only logs, so the profile does not confine.
        return new SecurityLabel("apparmor", label, mode is "enforce" or "kill", mode, active);
    }

    /// <summary>The attr files end in a newline and sometimes a NUL.</summary>
    private static string? Clean(string? text) => text?.TrimEnd('\0', '\n', ' ') is { Length: > 0 } clean ? clean : null;

    public string Describe() => Module switch
    {
        null => ActiveModules.Count > 0 ? $"none labels this process (active: {string.Join(',', ActiveModules)})" : "none",
        _ => $"{Module} {Label}{(Confined ? string.Empty : " (not confining)")}",
    };
}
