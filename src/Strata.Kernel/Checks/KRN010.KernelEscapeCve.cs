namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.KernelCves;

/// <summary>The running kernel's version lacks the fix of a CVE used to escape containers.</summary>
public sealed class KernelEscapeCve : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "KRN-010",
        Title = "The kernel lacks the fix of a container-escape CVE",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "Containers share the host's kernel: a kernel bug reachable from inside a container is a way out of every container on the host. Strata checks the running kernel against the CVEs that have been used to escape containers or to get root from inside one (Dirty COW, Dirty Pipe, the cgroup v1 release_agent bug, the nf_tables and x_tables heap bugs, user-namespace ID mapping, OverlayFS copy-up, fsconfig), by the upstream release each stable branch fixed them in. An upstream kernel below the fix is affected (HIGH). A distribution kernel (Debian, Ubuntu, Fedora, RHEL) may carry the fix as a backport before its base version shows it, so a version below the fix is only 'possibly affected' (MEDIUM): the message says which distribution and what to check. A Red Hat kernel's version says nothing about its fixes.",
        Remediation = "Update the kernel to a release that carries the fix (the message names the first fixed release of the kernel's stable branch) and reboot into it: `apt-get install linux-image-amd64` / `dnf update kernel`, then `reboot`. Until then, cut what the exploit needs: most of these need user namespaces (`sysctl -w kernel.unprivileged_userns_clone=0` or `user.max_user_namespaces=0`) or CAP_NET_ADMIN/CAP_SYS_ADMIN in one, which a seccomp profile that blocks unshare/clone(CLONE_NEWUSER) also denies; CVE-2022-0492 needs cgroup v1.",
        Equivalents = ["lynis KRNL-5695 (kernel version), KRNL-5788 (newer kernel available), KRNL-5830 (reboot onto the installed kernel)"],
        References =
        [
            "https://github.com/nluedtke/linux_kernel_cves",
            "https://dirtypipe.cm4all.com/",
            "https://unit42.paloaltonetworks.com/cve-2022-0492-cgroups/",
            "https://github.com/Notselwyn/CVE-2024-1086",
        ],
        Examples =
        [
            new RuleExample("/proc/sys/kernel/osrelease = 6.1.0\n/proc/version = Linux version 6.1.0 (builder@host) #1 SMP", true, "an upstream 6.1.0 lacks the 6.1.9 and 6.1.76 fixes"),
            new RuleExample("/proc/sys/kernel/osrelease = 6.1.0-17-amd64\n/proc/version = Linux version 6.1.0-17-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.69-1 (2023-12-30)", true, "Debian 6.1.69-1: possibly affected by CVE-2024-1086 (fixed upstream in 6.1.76)"),
            new RuleExample("/proc/sys/kernel/osrelease = 6.1.0-18-amd64\n/proc/version = Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", false, "Debian 6.1.76-1 is based on 6.1.76, which carries every fix"),
            new RuleExample("/proc/sys/kernel/osrelease = 6.8.0", false, "after every mainline fix"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.KernelRelease is null ? "/proc/sys/kernel/osrelease cannot be read (no /proc)" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (RunningKernel.Of(subject) is not { } kernel)
        {
            yield break;
        }

        foreach (var finding in KernelCveJudge.Findings(Rule, context.Target, kernel, KernelCveTable.EscapeCves.Cves, cve => cve.Severity, Severity.Medium))
        {
            yield return finding;
        }
    }
}
