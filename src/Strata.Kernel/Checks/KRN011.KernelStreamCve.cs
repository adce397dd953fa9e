namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.KernelCves;

/// <summary>With <c>--kernel-cve-data DIR</c>: every CVE of the linux_kernel_cves dataset that the kernel's stable branch has not fixed at its version.</summary>
public sealed class KernelStreamCve(KernelCveTable? dataset) : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "KRN-011",
        Title = "The kernel's stable branch has a CVE fixed after this version",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "Given the linux_kernel_cves dataset (`strata scan host --kernel-cve-data DIR`, the directory holding `stream_fixes.json` and `CVEs.txt`), Strata lists every CVE whose fix reached the running kernel's stable branch in a later release, or never reached it although the bug is in its version. Most kernel CVEs are local: a process in a container is local to the kernel, so each one is a possible step out. An upstream kernel below the fix is affected (MEDIUM); a distribution kernel may carry backports, so it is possibly affected (LOW). The container-escape CVEs of KRN-010 are reported there, not twice.",
        Remediation = "Run the newest release of the kernel's stable branch, or a newer supported branch, and reboot into it. Distributions publish which CVEs each kernel package fixes (Debian security tracker, Ubuntu CVE tracker, Red Hat errata): check a 'possibly affected' one there.",
        Equivalents = ["lynis KRNL-5788 (newer kernel available), KRNL-5830 (reboot onto the installed kernel)"],
        References = ["https://github.com/nluedtke/linux_kernel_cves", "https://www.kernel.org/category/releases.html"],
        Examples =
        [
            new RuleExample("--kernel-cve-data\n/proc/sys/kernel/osrelease = 5.10.100", true, "with the linux_kernel_cves data: CVE-2022-1015 and others, fixed later in 5.10"),
            new RuleExample("--kernel-cve-data\n/proc/sys/kernel/osrelease = 6.12.0", false, "newer than every fix of the data (April 2024)"),
            new RuleExample("/proc/sys/kernel/osrelease = 5.10.100", false, "without --kernel-cve-data the rule does not apply"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = dataset is null ? "no kernel CVE data was given (--kernel-cve-data DIR)"
            : subject.KernelRelease is null ? "/proc/sys/kernel/osrelease cannot be read (no /proc)"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (dataset is null || RunningKernel.Of(subject) is not { } kernel)
        {
            yield break;
        }

        // The container-escape CVEs are KRN-010's, not reported twice.
        var escapes = KernelCveTable.EscapeCves.Cves.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var finding in KernelCveJudge.Findings(Rule, context.Target, kernel, dataset.Cves.Where(c => !escapes.Contains(c.Id)), _ => Severity.Medium, Severity.Low))
        {
            yield return finding;
        }
    }
}
