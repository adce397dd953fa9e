namespace Strata.Runtime.Seccomp;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The profile is a denylist: every syscall it does not name is allowed.</summary>
public sealed class DefaultAllow : Check<SeccompProfile>
{
    public override Rule Rule { get; } = new()
    {
        Id = "SCP-001",
        Title = "Seccomp profile allows every syscall it does not name",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "With defaultAction SCMP_ACT_ALLOW (or SCMP_ACT_LOG) the profile is a denylist: every syscall it forgets, and every syscall added to future kernels, is allowed. Seccomp protects best as an allowlist that names only what the application uses.",
        Remediation = "Set defaultAction to SCMP_ACT_ERRNO (with defaultErrnoRet 1, EPERM) and list the syscalls the application needs with SCMP_ACT_ALLOW; generate the list by tracing the application (`strata` can derive a minimal profile) or start from the Docker default profile.",
        References = ["https://docs.docker.com/engine/security/seccomp/", "https://man7.org/linux/man-pages/man2/seccomp.2.html"],
        Examples =
        [
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"}]}", true),
            new RuleExample("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(SeccompProfile subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (SeccompProfile.IsPermissive(subject.DefaultAction))
        {
            yield return Finding.For(Rule, context.Target, new Location { File = context.File, JsonPath = subject.BasePath + ".defaultAction", Line = subject.DefaultActionLine }, $"defaultAction is {subject.DefaultAction}.", Evidence.Plain($"\"defaultAction\": \"{subject.DefaultAction}\""));
        }
    }
}
