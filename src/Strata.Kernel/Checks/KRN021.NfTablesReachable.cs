namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>nf_tables is loaded and unprivileged user namespaces reach it.</summary>
public sealed class NfTablesReachable : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "KRN-021",
        Title = "nf_tables is reachable from unprivileged user namespaces",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "nf_tables, the netfilter packet-classification engine, is the most exploited kernel subsystem of recent years (CVE-2022-1015, CVE-2022-32250, CVE-2023-32233, CVE-2024-1086, all local root). Its configuration needs CAP_NET_ADMIN only in a network namespace of one's own, which any user gets by creating a user namespace. With the module loaded (or built in) and unprivileged user namespaces allowed (KRN-001), every process on the host, one in a container without a seccomp filter included, can reach that code.",
        Remediation = "Turn off unprivileged user namespaces where nothing needs them (`kernel.unprivileged_userns_clone=0` or `user.max_user_namespaces=0`); where the host does not use nftables, blacklist the module (`install nf_tables /bin/false` in /etc/modprobe.d/). Keep the kernel current and containers on a seccomp profile that blocks unshare/clone of user namespaces.",
        References =
        [
            "https://github.com/Notselwyn/CVE-2024-1086",
            "https://www.kernel.org/doc/html/latest/admin-guide/sysctl/user.html",
        ],
        Equivalents = [],
        Examples =
        [
            new RuleExample("/proc/modules = nf_tables 286720 0 - Live 0x0000000000000000\n/proc/sys/user/max_user_namespaces = 63459", true),
            new RuleExample("/proc/modules = nf_tables 286720 0 - Live 0x0000000000000000\n/proc/sys/kernel/unprivileged_userns_clone = 0", false, "user namespaces are off for unprivileged users"),
            new RuleExample("/proc/sys/user/max_user_namespaces = 63459", false, "nf_tables is not loaded"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Read("/proc/modules") is null && !subject.Exists("/sys/module") ? "neither /proc/modules nor /sys/module can be read" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var loaded = (subject.Read("/proc/modules") ?? string.Empty).Split('\n').Any(line => line.StartsWith("nf_tables ", StringComparison.Ordinal))
            || subject.Exists("/sys/module/nf_tables");
        if (!loaded || !UnprivilegedUserNamespaces.Allowed(subject, out var why))
        {
            yield break;
        }

        yield return Finding.For(
            Rule,
            context.Target,
            new Location { File = "/proc/modules", Subject = "nf_tables" },
            $"nf_tables is loaded and {why}: any user can reach it with CAP_NET_ADMIN in a namespace of its own.",
            Evidence.Plain("nf_tables loaded; " + why));
    }
}
