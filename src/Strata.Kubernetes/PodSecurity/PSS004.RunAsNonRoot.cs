namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RunAsNonRoot : PodSecurityCheck
{
    public override string UpstreamId => "runAsNonRoot";

    public override Version MinimumVersion { get; } = new(1, 0);

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-004",
        Title = "Containers may run as root",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Without runAsNonRoot: true (on the pod or on every container), the kubelet starts containers as whatever user the image names, often root. Pod Security Standards: required at the restricted level.",
        Remediation = "Set securityContext.runAsNonRoot: true on the pod (and runAsUser to a non-zero uid if the image has no USER).",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission runAsNonRoot"],
        Examples =
        [
            new RuleExample("spec:\n  containers:\n  - name: app", true),
            new RuleExample("spec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var podContext = YamlSource.Child(subject.Spec, "securityContext");
        var podLevel = YamlSource.Boolean(podContext, "runAsNonRoot");
        foreach (var (container, path, name) in subject.Containers())
        {
            var securityContext = YamlSource.Child(container, "securityContext");
            var value = YamlSource.Boolean(securityContext, "runAsNonRoot") ?? podLevel;
            if (value != true)
            {
                var node = YamlSource.Child(securityContext, "runAsNonRoot") ?? container;
                yield return Finding.For(Rule, context.Target, subject.At(path + ".securityContext.runAsNonRoot", node), value == false ? $"Container {name} of {subject.ObjectName} sets runAsNonRoot: false." : $"Neither {subject.ObjectName} nor its container {name} sets runAsNonRoot: true.");
            }
        }
    }
}
