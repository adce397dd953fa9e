namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class RunAsNonRoot : PodSecurityCheck
{
    public RunAsNonRoot() => Versions = [new(0, Evaluate1_0), new(35, Evaluate1_35)];

    public override string UpstreamId => "runAsNonRoot";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-004",
        Title = "Containers may run as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Without runAsNonRoot: true (on the pod, or on every container), the kubelet starts containers as whatever user the image names, often root. Pod Security Standards: required at the restricted level; from v1.35 a pod in a user namespace (hostUsers: false) is exempt, its root being unprivileged on the node.",
        Remediation = "Set securityContext.runAsNonRoot: true on the pod (and runAsUser to a non-zero uid if the image has no USER).",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission runAsNonRoot"],
        Examples =
        [
            new RuleExample("spec:\n  containers:\n  - name: app", true),
            new RuleExample("spec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app", false),
            new RuleExample("spec:\n  hostUsers: false\n  containers:\n  - name: app", false, "a user-namespaced pod (v1.35+)"),
        ],
    };

    private PodSecurityViolation? Evaluate1_35(PodSpecView pod) => PodFields.InUserNamespace(pod) ? null : Evaluate1_0(pod);

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var podContext = PodFields.Get(pod.Spec, "securityContext");
        var podValue = PodFields.Bool(podContext, "runAsNonRoot");
        var explicitly = default(Offenders);
        var implicitly = default(Offenders);
        if (podValue == false)
        {
            explicitly.Mark(pod.SpecPath + ".securityContext.runAsNonRoot", PodFields.Get(podContext, "runAsNonRoot"));
        }

        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            var value = PodFields.Bool(securityContext, "runAsNonRoot");
            if (value == false)
            {
                explicitly.Add(pod, container, ".securityContext.runAsNonRoot", PodFields.Get(securityContext, "runAsNonRoot"));
            }
            else if (value is null && podValue != true)
            {
                implicitly.Add(pod, container, ".securityContext.runAsNonRoot", securityContext);
            }
        }

        if (explicitly.Any)
        {
            var setters = new List<string>(2);
            if (podValue == false)
            {
                setters.Add("pod");
            }

            if (explicitly.Count > 0)
            {
                setters.Add($"{Pluralize("container", "containers", explicitly.Count)} {JoinQuote(explicitly.Names!)}");
            }

            return new(this, "runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false", pod, explicitly.Path!, explicitly.Node);
        }

        return implicitly.Any
            ? new(this, "runAsNonRoot != true", $"pod or {Pluralize("container", "containers", implicitly.Count)} {JoinQuote(implicitly.Names!)} must set securityContext.runAsNonRoot=true", pod, implicitly.Path!, implicitly.Node)
            : null;
    }
}
