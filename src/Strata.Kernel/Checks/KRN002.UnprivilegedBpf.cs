namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>Unprivileged processes may load eBPF programs.</summary>
public sealed class UnprivilegedBpf : Check<HostSnapshot>
{
    private const string Sysctl = "kernel.unprivileged_bpf_disabled";

    public override Rule Rule { get; } = new()
    {
        Id = "KRN-002",
        Title = "Unprivileged eBPF is allowed",
        Severity = Severity.Medium,
        Layer = StackLayer.Kernel,
        Explanation = "When kernel.unprivileged_bpf_disabled is 0, any process can load eBPF programs into the kernel. The eBPF verifier has had many bugs that turned this into kernel code execution (e.g. CVE-2021-3490, CVE-2022-23222), and eBPF also enables Spectre-style side channels.",
        Remediation = "Set `sysctl -w kernel.unprivileged_bpf_disabled=2` (or 1, which cannot be undone until reboot) and persist it in /etc/sysctl.d/. Workloads that need eBPF should get CAP_BPF explicitly.",
        Equivalents = ["lynis KRNL-6000 (kernel.unprivileged_bpf_disabled)"],
        References = ["https://www.kernel.org/doc/html/latest/admin-guide/sysctl/kernel.html#unprivileged-bpf-disabled"],
        Examples =
        [
            new RuleExample("/proc/sys/kernel/unprivileged_bpf_disabled = 0", true),
            new RuleExample("/proc/sys/kernel/unprivileged_bpf_disabled = 2", false, "disabled, and an administrator may enable it again"),
            new RuleExample("/proc/sys/kernel/unprivileged_bpf_disabled = 1", false, "disabled until the next boot"),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Sysctl(Sysctl) is null ? $"{HostSnapshot.SysctlPath(Sysctl)} cannot be read (no /proc, or a kernel without the bpf syscall)" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var value = subject.Sysctl(Sysctl);
        if (value == "0")
        {
            yield return Finding.For(Rule, context.Target, new Location { File = HostSnapshot.SysctlPath(Sysctl), Subject = Sysctl }, $"{Sysctl} = 0: any user may load eBPF programs.", Evidence.Plain($"{Sysctl}={value}"));
        }
    }
}
