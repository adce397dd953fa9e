namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoNewPrivilegesOff : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-002",
        Title = "noNewPrivileges is not set",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Without process.noNewPrivileges a process in the container can gain privileges through setuid/setgid binaries or file capabilities (sudo, su, ping, a planted setuid shell). With it, execve never grants more than the caller had.",
        Remediation = "Set \"noNewPrivileges\": true under process (`--security-opt no-new-privileges`; in Kubernetes `allowPrivilegeEscalation: false`).",
        References = ["https://docs.kernel.org/userspace-api/no_new_privs.html"],
        Examples =
        [
            new RuleExample("""{"process": {"noNewPrivileges": false}}""", true),
            new RuleExample("""{"process": {"args": ["/app/server"]}}""", true, "not set"),
            new RuleExample("""{"process": {"noNewPrivileges": true}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Get("process.noNewPrivileges") is not { ValueKind: JsonValueKind.True })
        {
            yield return Finding.For(Rule, context.Target, subject.At("process.noNewPrivileges"), "process.noNewPrivileges is not true.");
        }
    }
}
