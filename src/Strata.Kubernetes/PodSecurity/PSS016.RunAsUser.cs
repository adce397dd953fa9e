namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class RunAsUser : PodSecurityCheck
{
    public RunAsUser() => Versions = [new(23, Evaluate1_23), new(35, Evaluate1_35)];

    public override string UpstreamId => "runAsUser";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-016",
        Title = "Container runs as uid 0",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "runAsUser: 0 runs the container's processes as root whatever the image says (and contradicts runAsNonRoot). Pod Security Standards: from v1.23 the restricted level forbids runAsUser: 0 on the pod and its containers; from v1.35 a pod in a user namespace (hostUsers: false) is exempt, its uid 0 being unprivileged on the node.",
        Remediation = "Set runAsUser to a non-zero uid, or remove it and let the image's USER apply with runAsNonRoot: true.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission runAsUser"],
        Examples =
        [
            new RuleExample("securityContext:\n  runAsUser: 0\ncontainers:\n- name: app", true),
            new RuleExample("securityContext:\n  runAsUser: 1000\ncontainers:\n- name: app", false),
        ],
    };

    private PodSecurityViolation? Evaluate1_35(PodSpecView pod) => PodFields.InUserNamespace(pod) ? null : Evaluate1_23(pod);

    private PodSecurityViolation? Evaluate1_23(PodSpecView pod)
    {
        var podContext = PodFields.Get(pod.Spec, "securityContext");
        var podBad = PodFields.Integer(podContext, "runAsUser") == 0;
        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            if (PodFields.Integer(securityContext, "runAsUser") == 0)
            {
                bad.Add(pod, container, ".securityContext.runAsUser", PodFields.Get(securityContext, "runAsUser"));
            }
        }

        if (!podBad && !bad.Any)
        {
            return null;
        }

        var setters = new List<string>(2);
        var where = default(Offenders);
        if (podBad)
        {
            setters.Add("pod");
            where.Mark(pod.SpecPath + ".securityContext.runAsUser", PodFields.Get(podContext, "runAsUser"));
        }

        if (bad.Any)
        {
            setters.Add($"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)}");
            where.Mark(bad.Path!, bad.Node);
        }

        return new(this, "runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0", pod, where.Path!, where.Node);
    }
}
