namespace Strata.Kubernetes.Network;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>A namespace of the input that has workloads and no NetworkPolicy.</summary>
public sealed class NamespaceWithoutNetworkPolicy : Check<ManifestSummary>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-021",
        Title = "Namespace with workloads and no NetworkPolicy",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "Without a NetworkPolicy, every pod accepts connections from every pod of the cluster and can reach any of them and the outside: one compromised pod can probe databases, admin ports and the cloud metadata service. The rule looks at the input as a whole: a namespace (or the workloads that name none, which go where they are applied) whose workloads are in the input while no NetworkPolicy of that namespace is. A directory scan sees only its own files, so a policy kept elsewhere is not seen; a cluster scan sees them all. It does not check that a policy selects each pod: kube-linter non-isolated-pod, kubescape C-0260 and Polaris missingNetworkPolicy look pod by pod and differ on purpose.",
        Remediation = "Give each namespace a default-deny NetworkPolicy (`podSelector: {}` with `policyTypes: [Ingress, Egress]`), then allow the flows each workload needs.",
        References =
        [
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",
        ],
        Equivalents = ["kubescape C-0206"],
        Examples =
        [
            new RuleExample("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: frontend:1.0", true),
            new RuleExample("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: frontend\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: server\n        image: frontend:1.0\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ManifestSummary subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (ns, workloads) in subject.Workloads)
        {
            if (subject.NetworkPolicyNamespaces.Contains(ns))
            {
                continue;
            }

            var where = ns.Length == 0 ? "The workloads that name no namespace" : $"Namespace {ns}";
            var count = workloads.Count == 1 ? $"1 workload ({workloads.First})" : $"{workloads.Count} workloads (first {workloads.First})";
            yield return Finding.For(Rule, context.Target, workloads.FirstLocation with { Subject = ns.Length == 0 ? workloads.First : "Namespace/" + ns }, $"{where}: {count} and no NetworkPolicy in the input: every pod is reachable from the whole cluster.", Evidence.Plain($"workloads: {workloads.Count}; NetworkPolicies: 0"));
        }
    }
}
