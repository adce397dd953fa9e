namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoNewPrivilegesOff : IRuntimeConfigCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "RUN-002",
        Title = "noNewPrivileges is not set",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Without process.noNewPrivileges a process in the container can gain privileges through setuid/setgid binaries or file capabilities (sudo, su, ping, a planted setuid shell). With it, execve never grants more than the caller had.",
        Remediation = "Set \"noNewPrivileges\": true under process (`--security-opt no-new-privileges`; in Kubernetes `allowPrivilegeEscalation: false`).",
        References = ["https://docs.kernel.org/userspace-api/no_new_privs.html"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("process.noNewPrivileges") is not { ValueKind: JsonValueKind.True })
        {
            yield return Finding.For(Rule, target, config.At("process.noNewPrivileges"), "process.noNewPrivileges is not true.");
        }
    }
}
