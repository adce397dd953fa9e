namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class ProcMountRestricted : PodSecurityCheck
{
    public ProcMountRestricted() => Versions = [new(35, pod => ProcMount.Unmasked(this, pod)) { Overrides = ["procMount"] }];

    public override string UpstreamId => "procMount_restricted";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-019",
        Title = "Container unmasks /proc (restricted)",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "The restricted level requires the default /proc masks of every pod, user-namespaced or not: from v1.35, when the baseline procMount check (PSS-008) began to allow any value to pods with hostUsers: false, this check replaces it at the restricted level.",
        Remediation = "Remove securityContext.procMount or set it to Default.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission procMount_restricted"],
        Examples =
        [
            new RuleExample("hostUsers: false\ncontainers:\n- name: app\n  securityContext:\n    procMount: Unmasked", true),
            new RuleExample("hostUsers: false\ncontainers:\n- name: app\n  securityContext:\n    procMount: Default", false),
        ],
    };
}
