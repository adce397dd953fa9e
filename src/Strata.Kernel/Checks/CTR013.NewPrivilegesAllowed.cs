namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Containment;

/// <summary>no_new_privs is not set: setuid programs and file capabilities can raise privileges.</summary>
public sealed class NewPrivilegesAllowed : ContainerCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "CTR-013",
        Title = "Processes in the container can gain privileges (no_new_privs is off)",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without the no_new_privs flag, executing a setuid-root program (su, sudo, passwd, mount) or a file with capabilities raises a process's privileges inside the container; an unprivileged foothold becomes root in the container, the starting point of most escapes. With the flag set, execve never grants more than the caller had.",
        Remediation = "Set no_new_privs: Docker --security-opt no-new-privileges (or the daemon's \"no-new-privileges\": true), Kubernetes securityContext.allowPrivilegeEscalation: false (required by the Pod Security Standards' restricted level), runc's process.noNewPrivileges.",
        References = ["https://docs.kernel.org/userspace-api/no_new_privs.html", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
        Equivalents = ["amicontained (NoNewPrivs)", "docker-bench-security 5.26"],
        Examples =
        [
            new RuleExample(DockerMark + "/proc/self/status = NoNewPrivs:\t0", true),
            new RuleExample(DockerMark + "/proc/self/status = NoNewPrivs:\t1", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(HostSnapshot host, ContainmentView view, CheckContext context)
    {
        if (view.NoNewPrivs == false)
        {
            yield return Finding.For(Rule, context.Target, new Location { File = "/proc/self/status", Subject = "NoNewPrivs" }, "no_new_privs is not set: setuid programs and file capabilities raise privileges in this container.", Evidence.Plain("NoNewPrivs: 0"));
        }
    }
}
