namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Unprivileged users can create user namespaces, and with them reach namespaced kernel code as "root".</summary>
public sealed class UnprivilegedUserNamespaces : Check<HostSnapshot>
{
    /// <summary>Debian's and Ubuntu's own switch; when present it decides.</summary>
    private const string DebianSwitch = "kernel.unprivileged_userns_clone";

    private const string Limit = "user.max_user_namespaces";

    public override Rule Rule { get; } = new()
    {
        Id = "KRN-001",
        Title = "Unprivileged user namespaces are enabled",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "Since Linux 3.8 any user can create a user namespace without a capability, and inside it holds every capability over the namespaced kernel code (mount, netfilter, filesystems). Much of that code was written for real root and has been the path of many privilege escalations (e.g. CVE-2022-0185, CVE-2023-32233). A process that escapes its container's seccomp filter or runs without one can use this too.",
        Remediation = "Unless rootless containers or sandboxes on this host need it, disable it: on Debian and Ubuntu `sysctl -w kernel.unprivileged_userns_clone=0`; elsewhere `sysctl -w user.max_user_namespaces=0` (persist in /etc/sysctl.d/). Where it is needed, keep the kernel current and make sure every container runs a seccomp profile that blocks unshare/clone with CLONE_NEWUSER (the Docker default does).",
        Equivalents = ["lynis: none (user.max_user_namespaces and kernel.unprivileged_userns_clone are not in its sysctl profile)"],
        References =
        [
            "https://man7.org/linux/man-pages/man7/user_namespaces.7.html",
            "https://www.kernel.org/doc/html/latest/admin-guide/sysctl/user.html",
        ],
        Examples =
        [
            new RuleExample("/proc/sys/kernel/unprivileged_userns_clone = 1\n/proc/sys/user/max_user_namespaces = 63459", true, "Debian or Ubuntu with the switch on"),
            new RuleExample("/proc/sys/user/max_user_namespaces = 63459", true, "an upstream kernel: only the limit exists"),
            new RuleExample("/proc/sys/kernel/unprivileged_userns_clone = 0\n/proc/sys/user/max_user_namespaces = 63459", false, "the Debian switch is off, whatever the limit"),
            new RuleExample("/proc/sys/kernel/apparmor_restrict_unprivileged_userns = 1\n/proc/sys/user/max_user_namespaces = 63459", false, "Ubuntu's AppArmor restriction confines them"),
            new RuleExample("/proc/sys/user/max_user_namespaces = 0", false),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Sysctl(DebianSwitch) is null && subject.Sysctl(Limit) is null
            ? $"neither {HostSnapshot.SysctlPath(DebianSwitch)} nor {HostSnapshot.SysctlPath(Limit)} can be read (no /proc, or a kernel without user namespaces)"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (Allowed(subject, out var why))
        {
            var key = subject.Sysctl(DebianSwitch) is not null ? DebianSwitch : Limit;
            var value = subject.Sysctl(key);
            yield return Finding.For(Rule, context.Target, new Location { File = HostSnapshot.SysctlPath(key), Subject = key }, $"{why}: any user may create user namespaces.", Evidence.Plain($"{key}={value}"));
        }
    }

    /// <summary>
    /// True when unprivileged users may create user namespaces, with the setting that says so in <paramref name="why"/>:
    /// Debian's and Ubuntu's switch decides when present, Ubuntu's AppArmor restriction confines them, else the limit.
    /// </summary>
    public static bool Allowed(HostSnapshot subject, out string why)
    {
        ArgumentNullException.ThrowIfNull(subject);
        why = string.Empty;
        if (HostSnapshot.IsTruthy(subject.Sysctl("kernel.apparmor_restrict_unprivileged_userns")))
        {
            return false;
        }

        if (subject.Sysctl(DebianSwitch) is { } debian)
        {
            why = $"{DebianSwitch} = {debian}";
            return HostSnapshot.IsTruthy(debian);
        }

        var limit = subject.Sysctl(Limit);
        why = $"{Limit} = {limit} and the kernel has no other switch";
        return HostSnapshot.IsTruthy(limit);
    }
}
