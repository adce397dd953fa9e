namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The profile names no architecture, so the filter covers only the runtime's native one.</summary>
public sealed class NoArchitectures : Check<SeccompProfile>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SCP-005",
        Title = "Seccomp profile lists no architectures",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without architectures (or moby's archMap) the runtime builds the filter for its native architecture only, and libseccomp answers every syscall made through another ABI with its bad-architecture action, killing the process: 32-bit programs on a 64-bit host (x86 on x86_64, arm on aarch64) stop on their first syscall, and the profile means something different on each host it is copied to. The syscall names are resolved per architecture, so the list of architectures is part of what the profile allows.",
        Remediation = "Name the architectures the profile is written for: an archMap with each native architecture and its sub-architectures as in Docker's default (SCMP_ARCH_X86_64 with SCMP_ARCH_X86 and SCMP_ARCH_X32, SCMP_ARCH_AARCH64 with SCMP_ARCH_ARM, …), or the OCI architectures list.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#seccomp", "https://man7.org/linux/man-pages/man3/seccomp_arch_add.3.html"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", true),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.AllArchitectures.Count == 0)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = subject.BasePath, Line = subject.DefaultActionLine, Subject = "architectures" }, "The profile lists no architectures: it filters only the runtime's native ABI and kills programs using another (32-bit) one.", Evidence.Plain("no architectures or archMap"));
        }
    }
}
