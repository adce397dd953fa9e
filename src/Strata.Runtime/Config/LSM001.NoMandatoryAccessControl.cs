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
        Explanation = "Neither process.apparmorProfile nor process.selinuxLabel confines the process: both are unset, the AppArmor profile is `unconfined`, or the SELinux type is an unconfined or super-privileged one (`spc_t`, `unconfined_t`). No mandatory access control then confines the container: if it escapes its namespaces, only discretionary permissions stand between it and the host (writes to /proc/sys, mounts, raw devices).",
        Remediation = "Set process.apparmorProfile (e.g. docker-default or a profile made for the application) on AppArmor hosts, or process.selinuxLabel (e.g. system_u:system_r:container_t:s0:c1,c2) on SELinux hosts.",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config.md#linux-process"],
        Examples =
        [
            new RuleExample("""{"process": {"args": ["/app/server"]}}""", true, "neither is set"),
            new RuleExample("""{"process": {"apparmorProfile": "unconfined"}}""", true),
            new RuleExample("""{"process": {"apparmorProfile": "docker-default"}}""", false),
            new RuleExample("""{"process": {"selinuxLabel": "system_u:system_r:spc_t:s0"}}""", true, "super-privileged container type"),
            new RuleExample("""{"process": {"selinuxLabel": "system_u:system_r:container_t:s0:c1,c2"}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var profile = subject.Get("process.apparmorProfile") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
        var label = subject.Get("process.selinuxLabel") is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
        var selinuxType = label?.Split(':') is { Length: >= 3 } parts ? parts[2] : null;
        var apparmor = profile is { Length: > 0 } && profile != "unconfined";
        var selinux = label is { Length: > 0 } && selinuxType is not ("spc_t" or "unconfined_t" or "kernel_t");
        if (apparmor || selinux)
        {
            yield break;
        }

        var (path, message) = (profile, selinuxType) switch
        {
            ("unconfined", _) => ("process.apparmorProfile", "The AppArmor profile is 'unconfined' and no confining SELinux label is set."),
            (_, { Length: > 0 } type) => ("process.selinuxLabel", $"The SELinux type {type} is not confined and no AppArmor profile is set."),
            _ => ("process.apparmorProfile", "The process has neither an AppArmor profile nor an SELinux label."),
        };
        yield return Finding.For(Rule, context.Target, subject.At(path), message);
    }
}
