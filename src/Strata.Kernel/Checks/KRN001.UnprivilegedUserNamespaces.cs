namespace Strata.Kernel.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Unprivileged users can create user namespaces, and with them reach namespaced kernel code as "root".</summary>
public sealed class UnprivilegedUserNamespaces : IHostCheck
{
    public Rule Rule { get; } = new()
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
    };

    public IEnumerable<Finding> Evaluate(HostSnapshot host, string target)
    {
        ArgumentNullException.ThrowIfNull(host);

        // Ubuntu's AppArmor restriction confines unprivileged user namespaces even when creation is allowed.
        if (HostSnapshot.IsTruthy(host.Sysctl("kernel.apparmor_restrict_unprivileged_userns")))
        {
            yield break;
        }

        // Debian's and Ubuntu's own switch; when present it decides.
        const string DebianSwitch = "kernel.unprivileged_userns_clone";
        var debian = host.Sysctl(DebianSwitch);
        if (debian is not null)
        {
            if (HostSnapshot.IsTruthy(debian))
            {
                yield return Finding.For(Rule, target, new Location { File = HostSnapshot.SysctlPath(DebianSwitch), Subject = DebianSwitch }, $"{DebianSwitch} = {debian}: any user may create user namespaces.", Evidence.Plain($"{DebianSwitch}={debian}"));
            }

            yield break;
        }

        const string Limit = "user.max_user_namespaces";
        var limit = host.Sysctl(Limit);
        if (HostSnapshot.IsTruthy(limit))
        {
            yield return Finding.For(Rule, target, new Location { File = HostSnapshot.SysctlPath(Limit), Subject = Limit }, $"{Limit} = {limit} and the kernel has no other switch: any user may create user namespaces.", Evidence.Plain($"{Limit}={limit}"));
        }
    }
}
