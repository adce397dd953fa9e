namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostNamespaces : IPodSecurityCheck
{
    public string UpstreamId => "hostNamespaces";

    public Version MinimumVersion { get; } = new(1, 0);

    public PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public Rule Rule { get; } = new()
    {
        Id = "PSS-002",
        Title = "Pod shares host namespaces",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "hostNetwork, hostPID or hostIPC put the pod in the node's network, process or IPC namespace: it sees node-local services and every process of the node, and can signal or trace them. Pod Security Standards: forbidden from the baseline level up.",
        Remediation = "Remove hostNetwork, hostPID and hostIPC (or set them to false).",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission hostNamespaces"],
        Examples =
        [
            new RuleExample("spec:\n  hostPID: true", true),
            new RuleExample("spec:\n  hostPID: false", false),
        ],
    };

    public IEnumerable<Finding> Evaluate(PodSpecView pod, string target)
    {
        ArgumentNullException.ThrowIfNull(pod);
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (YamlSource.Boolean(pod.Spec, field) == true)
            {
                yield return Finding.For(Rule, target, pod.At($"{pod.SpecPath}.{field}", YamlSource.Child(pod.Spec, field)), $"{pod.ObjectName} sets {field}: true.");
            }
        }
    }
}
