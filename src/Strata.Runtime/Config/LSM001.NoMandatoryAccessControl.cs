namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoMandatoryAccessControl : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "LSM-001",
        Title = "No AppArmor profile or SELinux label",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Neither process.apparmorProfile nor process.selinuxLabel is set, so no mandatory access control confines the container: if it escapes its namespaces, only discretionary permissions stand between it and the host (writes to /proc/sys, mounts, raw devices).",
        Remediation = "Set process.apparmorProfile (e.g. docker-default or a profile made for the application) on AppArmor hosts, or process.selinuxLabel (e.g. system_u:system_r:container_t:s0:c1,c2) on SELinux hosts.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#linux-process"],
        Examples =
        [
            new RuleExample("""{"process": {"args": ["/app/server"]}}""", true, "neither is set"),
            new RuleExample("""{"process": {"apparmorProfile": "unconfined"}}""", true),
            new RuleExample("""{"process": {"apparmorProfile": "docker-default"}}""", false),
            new RuleExample("""{"process": {"selinuxLabel": "system_u:system_r:container_t:s0:c1,c2"}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var apparmor = subject.Get("process.apparmorProfile") is { ValueKind: JsonValueKind.String } a && a.GetString() is { Length: > 0 } profile && profile != "unconfined";
        var selinux = subject.Get("process.selinuxLabel") is { ValueKind: JsonValueKind.String } s && s.GetString() is { Length: > 0 };
        if (!apparmor && !selinux)
        {
            yield return Finding.For(Rule, context.Target, subject.At("process.apparmorProfile"), "The process has neither an AppArmor profile nor an SELinux label.");
        }
    }
}
