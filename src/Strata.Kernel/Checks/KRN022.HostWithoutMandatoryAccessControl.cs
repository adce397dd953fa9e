namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>No mandatory access control LSM confines containers (AppArmor or SELinux), or SELinux only logs.</summary>
public sealed class HostWithoutMandatoryAccessControl : Check<HostSnapshot>
{
    private const string LsmList = "/sys/kernel/security/lsm";

    public override Rule Rule { get; } = new()
    {
        Id = "KRN-022",
        Title = "No AppArmor or SELinux confines containers",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "Container runtimes put every container under a mandatory access control profile when the kernel has one active: Docker, containerd and CRI-O load `docker-default`/`cri-containerd.apparmor.d` on AppArmor hosts and label containers `container_t` on SELinux hosts. Those profiles deny mounts, writes to /proc and /sys, and access to host files that slip into the container, and they have stopped real escapes (runc CVE-2019-5736 on SELinux hosts, several cgroup and procfs escapes). Without an active MAC LSM, or with SELinux permissive (it only logs), that layer is missing and the article's runtime hardening cannot be applied.",
        Remediation = "Enable AppArmor (Debian, Ubuntu, SUSE: `apparmor=1 security=apparmor` on the kernel command line, `apt-get install apparmor`, `systemctl enable --now apparmor`) or SELinux in enforcing mode (RHEL, Fedora: `SELINUX=enforcing` in /etc/selinux/config, `setenforce 1`), then restart the container runtime so it loads its default profile.",
        References =
        [
            "https://docs.docker.com/engine/security/apparmor/",
            "https://kubernetes.io/docs/tutorials/security/apparmor/",
            "https://www.kernel.org/doc/html/latest/admin-guide/LSM/index.html",
        ],
        Equivalents = ["lynis MACF-6208 (AppArmor), MACF-6232/6234 (SELinux), MACF-6290 (no MAC framework)"],
        Examples =
        [
            new RuleExample("/sys/kernel/security/lsm = lockdown,capability,landlock,yama", true, "no MAC LSM"),
            new RuleExample("/sys/kernel/security/lsm = capability,selinux\n/sys/fs/selinux/enforce = 0", true, "SELinux permissive"),
            new RuleExample("/sys/kernel/security/lsm = lockdown,capability,landlock,yama,apparmor", false),
            new RuleExample("/sys/kernel/security/lsm = capability,selinux\n/sys/fs/selinux/enforce = 1", false),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Read(LsmList) is null ? $"{LsmList} cannot be read (securityfs is not mounted here)" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var active = (subject.Read(LsmList) ?? string.Empty).Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (active.Contains("apparmor") || active.Contains("smack") || active.Contains("tomoyo"))
        {
            yield break;
        }

        if (active.Contains("selinux"))
        {
            var enforce = subject.Read("/sys/fs/selinux/enforce")?.Trim();
            if (enforce is "0")
            {
                yield return Finding.For(Rule, context.Target, new Location { File = "/sys/fs/selinux/enforce", Subject = "selinux" }, "SELinux is active but permissive (/sys/fs/selinux/enforce = 0): container_t policies only log.", Evidence.Plain("selinux enforce=0"));
            }

            yield break;
        }

        yield return Finding.For(Rule, context.Target, new Location { File = LsmList, Subject = "lsm" }, $"Active LSMs are {string.Join(", ", active)}: neither AppArmor nor SELinux, so containers run without a MAC profile.", Evidence.Plain("lsm=" + string.Join(',', active)));
    }
}
