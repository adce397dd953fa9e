namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class DaemonSeccompUnconfined : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-105",
        Title = "Docker runs containers without seccomp by default",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "\"seccomp-profile\": \"unconfined\" removes Docker's default seccomp filter from every container that does not bring its own: all syscalls (keyctl, bpf, userfaultfd, unshare, …) reach the host kernel. When unset, Docker applies its built-in default profile.",
        Remediation = "Remove \"seccomp-profile\" (the built-in default applies) or point it at a profile file such as one recorded for your workloads.",
        References = ["https://docs.docker.com/engine/security/seccomp/"],
        Equivalents = ["docker-bench-security 2.17"],
        Examples =
        [
            new RuleExample("""{"seccomp-profile": "unconfined"}""", true),
            new RuleExample("""{"icc": false}""", false, "built-in default profile"),
            new RuleExample("""{"seccomp-profile": "/etc/docker/seccomp/app.json"}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(subject.Text("seccomp-profile")?.Trim(), "unconfined", StringComparison.OrdinalIgnoreCase))
        {
            yield return Finding.For(Rule, context.Target, subject.At("seccomp-profile"), "seccomp-profile is unconfined: containers run without a syscall filter.");
        }
    }
}
