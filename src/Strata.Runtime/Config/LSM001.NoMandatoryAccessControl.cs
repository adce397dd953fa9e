namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoMandatoryAccessControl : IRuntimeConfigCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "LSM-001",
        Title = "No AppArmor profile or SELinux label",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Neither process.apparmorProfile nor process.selinuxLabel is set, so no mandatory access control confines the container: if it escapes its namespaces, only discretionary permissions stand between it and the host (writes to /proc/sys, mounts, raw devices).",
        Remediation = "Set process.apparmorProfile (e.g. docker-default or a profile made for the application) on AppArmor hosts, or process.selinuxLabel (e.g. system_u:system_r:container_t:s0:c1,c2) on SELinux hosts.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#linux-process"],
    };

    public IEnumerable<Finding> Evaluate(RuntimeConfig config, string target)
    {
        ArgumentNullException.ThrowIfNull(config);
        var apparmor = config.Get("process.apparmorProfile") is { ValueKind: JsonValueKind.String } a && a.GetString() is { Length: > 0 } profile && profile != "unconfined";
        var selinux = config.Get("process.selinuxLabel") is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 };
        if (!apparmor && !selinux)
        {
            yield return Finding.For(Rule, target, config.At("process.apparmorProfile"), "The process has neither an AppArmor profile nor an SELinux label.");
        }
    }
}
