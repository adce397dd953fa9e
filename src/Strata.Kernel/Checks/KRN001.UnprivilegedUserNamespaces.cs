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

        // Ubuntu's AppArmor restriction confines unprivileged user namespaces even when creation is allowed.
        if (HostSnapshot.IsTruthy(subject.Sysctl("kernel.apparmor_restrict_unprivileged_userns")))
        {
            yield break;
        }

        var debian = subject.Sysctl(DebianSwitch);
        if (debian is not null)
        {
            if (HostSnapshot.IsTruthy(debian))
            {
                yield return Finding.For(Rule, context.Target, new Location { File = HostSnapshot.SysctlPath(DebianSwitch), Subject = DebianSwitch }, $"{DebianSwitch} = {debian}: any user may create user namespaces.", Evidence.Plain($"{DebianSwitch}={debian}"));
            }

            yield break;
        }

        var limit = subject.Sysctl(Limit);
        if (HostSnapshot.IsTruthy(limit))
        {
            yield return Finding.For(Rule, context.Target, new Location { File = HostSnapshot.SysctlPath(Limit), Subject = Limit }, $"{Limit} = {limit} and the kernel has no other switch: any user may create user namespaces.", Evidence.Plain($"{Limit}={limit}"));
        }
    }
}
