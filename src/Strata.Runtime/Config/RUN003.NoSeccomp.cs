namespace Strata.Runtime.Config;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoSeccomp : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-003",
        Title = "No seccomp profile",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "linux.seccomp is absent, so the container can call every syscall of the host kernel, including the rarely used, poorly audited ones behind most kernel exploits (keyctl, bpf, userfaultfd, unshare).",
        Remediation = "Add a seccomp allowlist under linux.seccomp: the runtime's default profile at least, better a minimal profile generated for the application.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#seccomp"],
        Examples =
        [
            new RuleExample("""{"linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}}""", true, "no linux.seccomp"),
            new RuleExample("""{"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"}]}}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Get("linux.seccomp") is null)
        {
            yield return Finding.For(Rule, context.Target, subject.At("linux.seccomp"), "linux.seccomp is not set: every syscall is allowed.");
        }
    }
}
