namespace Strata.Kubernetes.Rbac;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RoleProxiesToNodes : RolePowerCheck
{
    protected override RbacPower Power => RbacPower.NodesProxy;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-017",
        Title = "Role can reach the kubelet API (nodes/proxy)",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "Access to the nodes/proxy subresource is access to every kubelet's API through the API server: run commands in any pod of any node (`/exec`, `/run`), read their logs and environment, with neither admission control nor the API server's audit of what is done there. Monitoring agents usually need only nodes/metrics or nodes/stats.",
        Remediation = "Grant `nodes/metrics` and `nodes/stats` (get) to monitoring instead of nodes/proxy; keep nodes/proxy for the control plane.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes"],
        Equivalents = ["kubescape C-0279"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring\nrules:\n- apiGroups: [\"\"]\n  resources: [\"nodes/proxy\"]\n  verbs: [\"get\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: monitoring\nrules:\n- apiGroups: [\"\"]\n  resources: [\"nodes/metrics\", \"nodes/stats\"]\n  verbs: [\"get\"]", false),
        ],
    };
}
