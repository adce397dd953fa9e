namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RunAsNonRoot : IPodSecurityCheck
{
    public string UpstreamId => "runAsNonRoot";

    public Version MinimumVersion { get; } = new(1, 0);

    public PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public Rule Rule { get; } = new()
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

    public IEnumerable<Finding> Evaluate(PodSpecView pod, string target)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var podContext = YamlSource.Child(pod.Spec, "securityContext");
        var podLevel = YamlSource.Boolean(podContext, "runAsNonRoot");
        foreach (var (container, path, name) in pod.Containers())
        {
            var context = YamlSource.Child(container, "securityContext");
            var value = YamlSource.Boolean(context, "runAsNonRoot") ?? podLevel;
            if (value != true)
            {
                var node = YamlSource.Child(context, "runAsNonRoot") ?? container;
                yield return Finding.For(Rule, target, pod.At(path + ".securityContext.runAsNonRoot", node), value == false ? $"Container {name} of {pod.ObjectName} sets runAsNonRoot: false." : $"Neither {pod.ObjectName} nor its container {name} sets runAsNonRoot: true.");
            }
        }
    }
}
