namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The profile allows, unconditionally, syscalls that reach the host kernel's most sensitive parts.</summary>
public sealed class DangerousSyscallsAllowed : Check<SeccompProfile>
{
    /// <summary>
    /// Syscalls the Docker default profile allows only with a matching capability, or never:
    /// ptrace before Linux 4.8, namespace and mount manipulation, kernel modules and kexec, keyrings, BPF, raw I/O, clock and reboot.
    /// </summary>
    public static readonly IReadOnlySet<string> Syscalls = new HashSet<string>(StringComparer.Ordinal)
    {
        "ptrace", "unshare", "setns", "mount", "umount", "umount2", "pivot_root", "fsopen", "fsmount", "move_mount", "open_tree", "fsconfig", "fspick",
        "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module",
        "delete_module", "open_by_handle_at", "userfaultfd", "swapon", "swapoff", "reboot", "acct", "iopl", "ioperm",
        "clock_settime", "clock_settime64", "settimeofday", "stime", "lookup_dcookie", "quotactl", "nfsservctl", "uselib", "vm86", "vm86old",
        "syslog", "kcmp", "pidfd_getfd", "process_madvise", "chroot", "vhangup", "mbind", "set_mempolicy", "move_pages",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "SCP-002",
        Title = "Seccomp profile allows syscalls that reach the host kernel",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "The profile allows, without a capability condition or argument filter, syscalls that container workloads almost never need and that are the usual first step of a container escape: creating or entering namespaces (unshare, setns), mounting, loading kernel modules or eBPF, kexec, keyrings, raw port I/O. Docker's default profile blocks each of them unless the container holds the matching capability.",
        Remediation = "Remove these syscalls from the SCMP_ACT_ALLOW rules, or condition them on the capability (\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}) as the Docker default profile does. If the application truly needs one, allow it in a dedicated rule with an argument filter and a comment saying why.",
        References = ["https://docs.docker.com/engine/security/seccomp/#significant-syscalls-blocked-by-the-default-profile"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"unshare\", \"mount\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rule in subject.Rules.Where(r => r.AllowsUnconditionally))
        {
            foreach (var name in rule.Names.Where(Syscalls.Contains))
            {
                // Since Linux 4.8 seccomp runs again after a tracer changes a syscall, so ptrace cannot bypass the filter (moby allows it from 4.8).
                if (name == "ptrace" && rule.Includes?.MinKernel is { } min && KernelVersion.TryParse(min) is { } version && version.IsAtLeast(new KernelVersion(4, 8)))
                {
                    continue;
                }

                yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = rule.JsonPath, Line = rule.Line, Subject = name }, $"{name} is allowed by {rule.Action} without condition.", Evidence.Plain(name));
            }
        }

        if (SeccompProfile.IsPermissive(subject.DefaultAction))
        {
            var denied = subject.Rules.Where(r => !SeccompProfile.IsPermissive(r.Action)).SelectMany(r => r.Names).ToHashSet(StringComparer.Ordinal);
            var open = Syscalls.Where(s => !denied.Contains(s)).Order(StringComparer.Ordinal).ToList();
            if (open.Count > 0)
            {
                yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = subject.BasePath + ".defaultAction", Line = subject.DefaultActionLine, Subject = "defaultAction" }, $"The default action allows {open.Count} dangerous syscalls the profile does not deny, e.g. {string.Join(", ", open.Take(6))}.", Evidence.Plain(string.Join(", ", open)));
            }
        }
    }
}
