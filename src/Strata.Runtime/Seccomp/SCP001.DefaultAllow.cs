namespace Strata.Runtime.Seccomp;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The profile is a denylist: every syscall it does not name is allowed.</summary>
public sealed class DefaultAllow : ISeccompCheck
{
    public Rule Rule { get; } = new()
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

    public IEnumerable<Finding> Evaluate(SeccompProfile profile, string file, string target)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (SeccompProfile.IsPermissive(profile.DefaultAction))
        {
            yield return Finding.For(Rule, target, new Location { File = file, JsonPath = profile.BasePath + ".defaultAction", Line = profile.DefaultActionLine }, $"defaultAction is {profile.DefaultAction}.", Evidence.Plain($"\"defaultAction\": \"{profile.DefaultAction}\""));
        }
    }
}
