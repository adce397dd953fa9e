namespace Strata.Kubernetes.Rbac;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RoleExecsIntoPods : RolePowerCheck
{
    protected override RbacPower Power => RbacPower.ExecAttachPortForward;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-015",
        Title = "Role can exec, attach or port-forward into Pods",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "pods/exec and pods/attach give a shell in any container of the namespace, with its service account token, its mounted Secrets and its network position; pods/portforward opens a tunnel to any of its ports past NetworkPolicies. exec over WebSockets is a GET request, authorised with the get verb, so create and get both count.",
        Remediation = "Grant exec, attach and port-forward only to break-glass roles bound for a limited time, and audit their use.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks"],
        Equivalents = ["kubescape C-0002", "kubescape C-0063", "Polaris clusterrolePodExecAttach", "Polaris rolePodExecAttach"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: debugger\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods/exec\", \"pods/portforward\"]\n  verbs: [\"create\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: logs\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods/log\"]\n  verbs: [\"get\"]", false),
        ],
    };
}
