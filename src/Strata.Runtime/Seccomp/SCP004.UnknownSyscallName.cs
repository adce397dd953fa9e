namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A rule names a syscall that none of the profile's architectures has: a typo, or a name from another architecture.</summary>
public sealed class UnknownSyscallName : Check<SeccompProfile>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SCP-004",
        Title = "Seccomp profile names a syscall its architectures do not have",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Runtimes skip syscall names libseccomp cannot resolve for the filter's architectures, silently. A misspelt name in an allow rule leaves the application failing with EPERM at run time; in a deny rule (on a default-allow profile) it leaves the syscall open. Names are checked against the syscall tables of the architectures the profile lists (x86_64, x86, aarch64, arm, riscv64, s390x and ppc64le are known); against all of them when the profile lists none or is written for several native architectures, as Docker's default is.",
        Remediation = "Correct the name (see `strata seccomp resolve` and the syscall tables in man 2 syscalls), or remove it; when the name belongs to an architecture the profile should support, add that architecture (archMap or architectures).",
        References = ["https://man7.org/linux/man-pages/man2/syscalls.2.html", "https://github.com/seccomp/libseccomp"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [{\"names\": [\"read\", \"wrtie\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true, "a typo"),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_AARCH64\"], \"syscalls\": [{\"names\": [\"open\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true, "aarch64 has only openat"),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], \"syscalls\": [{\"names\": [\"read\", \"write\", \"socketcall\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        // A profile for several native architectures (moby's default) shares one name list between them: a name of any
        // architecture belongs there. A profile for one (with its sub-architectures) is checked against that one.
        var natives = subject.ArchMap.Count > 0 ? subject.ArchMap.Count : subject.Architectures.Count(a => SyscallTable.Find(a) is { SubArchitectures.Count: > 0 });
        var tables = subject.AllArchitectures.Select(SyscallTable.Find).OfType<SyscallTable>().ToList();
        if (tables.Count == 0 || natives > 1)
        {
            tables = [.. SyscallTable.All];
        }

        var arches = string.Join(", ", tables.Select(t => t.Name));
        foreach (var rule in subject.Rules)
        {
            foreach (var name in rule.Names.Where(n => !tables.Any(t => t.ByName.ContainsKey(n))))
            {
                var elsewhere = SyscallTable.All.Where(t => t.ByName.ContainsKey(name)).Select(t => t.Name).ToList();
                var message = elsewhere.Count > 0
                    ? $"{name} does not exist on {arches} (only on {string.Join(", ", elsewhere)}); runtimes skip it."
                    : $"{name} is not a syscall on any architecture Strata knows; runtimes skip it.";
                yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = rule.JsonPath, Line = rule.Line, Subject = name }, message, Evidence.Plain(name));
            }
        }
    }
}
