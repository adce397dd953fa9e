namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class HostNamespaces : PodSecurityCheck
{
    public override string UpstreamId => "hostNamespaces";

    public override Version MinimumVersion { get; } = new(1, 0);

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override Rule Rule { get; } = new()
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

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (YamlSource.Boolean(subject.Spec, field) == true)
            {
                yield return Finding.For(Rule, context.Target, subject.At($"{subject.SpecPath}.{field}", YamlSource.Child(subject.Spec, field)), $"{subject.ObjectName} sets {field}: true.");
            }
        }
    }
}
