namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class Privileged : PodSecurityCheck
{
    public Privileged() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "privileged";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-001",
        Title = "Privileged container",
        Severity = Severity.Critical,
        Layer = StackLayer.Orchestrator,
        Explanation = "securityContext.privileged: true gives the container every capability, every device of the host, and no seccomp or AppArmor confinement. Escaping to the host is then a matter of mounting its disk or loading a module. Pod Security Standards: forbidden from the baseline level up, in every version.",
        Remediation = "Remove privileged: true; grant only the specific capabilities or devices the workload needs.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission privileged", "kubescape C-0057"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  securityContext:\n    privileged: true", true),
            new RuleExample("containers:\n- name: app\n  securityContext:\n    privileged: false", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            if (PodFields.Bool(securityContext, "privileged") == true)
            {
                bad.Add(pod, container, ".securityContext.privileged", PodFields.Get(securityContext, "privileged"));
            }
        }

        return bad.Any
            ? new(this, "privileged", $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)} must not set securityContext.privileged=true", pod, bad.Path!, bad.Node)
            : null;
    }
}
