namespace Strata.Kernel.Checks;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The kernel cannot filter system calls, so runtimes' seccomp profiles do nothing.</summary>
public sealed class SeccompUnavailable : Check<HostSnapshot>
{
    private const string Actions = "/proc/sys/kernel/seccomp/actions_avail";

    public override Rule Rule { get; } = new()
    {
        Id = "KRN-023",
        Title = "The kernel has no seccomp filter support",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "The article's runtime hardening rests on seccomp allowlists: the Docker, containerd and CRI-O default profiles block some 50 system calls (unshare of user namespaces, keyctl, bpf, userfaultfd, mount, kexec…) that most kernel escapes start with. A kernel built without CONFIG_SECCOMP_FILTER cannot apply them; some runtimes then start containers without a filter and only log a warning.",
        Remediation = "Run a kernel built with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER (every major distribution kernel is); check that `grep Seccomp /proc/self/status` shows the field and /proc/sys/kernel/seccomp/actions_avail lists `kill_process kill_thread trap errno user_notif trace log allow`.",
        References = ["https://www.kernel.org/doc/html/latest/userspace-api/seccomp_filter.html", "https://docs.docker.com/engine/security/seccomp/"],
        Equivalents = ["docker-bench-security 5.22 (default seccomp profile, related)"],
        Examples =
        [
            new RuleExample("/proc/self/status = Name:\tstrata\\nUid:\t0\t0\t0\t0", true, "no Seccomp field: a kernel without CONFIG_SECCOMP"),
            new RuleExample("/proc/self/status = Name:\tstrata\\nSeccomp:\t0\n/proc/sys/kernel/seccomp/actions_avail = kill_process kill_thread trap errno user_notif trace log allow", false),
        ],
    };

    public override bool AppliesTo(HostSnapshot subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.Read("/proc/self/status") is null ? "/proc/self/status cannot be read" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var mode = subject.SelfStatus("Seccomp");
        var actions = subject.Read(Actions)?.Trim();
        if (mode is null)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/status", Subject = "Seccomp" }, "/proc/self/status has no Seccomp field: the kernel was built without CONFIG_SECCOMP, so no container can be given a syscall filter.", Evidence.Plain("no Seccomp field"));
        }
        else if (actions is not null && !actions.Split(' ').Contains("errno"))
        {
            yield return Finding.For(Rule, context.Target, new Location { File = Actions, Subject = "seccomp" }, $"The kernel's seccomp filters cannot return errors (actions: {actions}): runtime profiles that deny with EPERM cannot load.", Evidence.Plain("actions_avail=" + actions));
        }
    }
}
