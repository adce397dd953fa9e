namespace Strata.Kubernetes.Rbac;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RoleCreatesWorkloads : RolePowerCheck
{
    protected override RbacPower Power => RbacPower.CreateWorkloads;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-014",
        Title = "Role can create Pods or workloads",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "create on pods, or on a controller that makes pods (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), lets a subject run any image as any service account of the namespace and mount every Secret and ConfigMap there; unless Pod Security Admission enforces baseline or restricted on the namespace, also a privileged pod with the node's filesystem.",
        Remediation = "Leave pod creation to controllers and CI identities; enforce `pod-security.kubernetes.io/enforce: restricted` on namespaces where people or workloads can create pods.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation"],
        Equivalents = ["kubescape C-0188", "kube-linter access-to-create-pods"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\n  namespace: shop\nrules:\n- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"create\", \"update\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: viewer\n  namespace: shop\nrules:\n- apiGroups: [\"\", \"apps\"]\n  resources: [\"pods\", \"deployments\"]\n  verbs: [\"get\", \"list\", \"watch\"]", false),
        ],
    };
}
