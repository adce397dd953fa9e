namespace Strata.Kubernetes.Rbac;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RoleEscalatesPrivileges : RolePowerCheck
{
    protected override RbacPower Power => RbacPower.EscalateOrBind | RbacPower.Impersonate;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-016",
        Title = "Role can escalate, bind or impersonate",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "RBAC forbids granting permissions one does not hold, except to holders of `escalate` (edit a role to add anything) and `bind` (bind any role, cluster-admin included) on roles and clusterroles; `impersonate` on users, groups or service accounts acts as anyone, the group system:masters included. Each is cluster-admin one API call away.",
        Remediation = "Remove escalate, bind and impersonate from roles for people and workloads; an operator that manages RBAC should bind only named roles (`resourceNames`) and impersonation should be limited to named service accounts.",
        References =
        [
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb",
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
        ],
        Equivalents = ["kubescape C-0191", "kubescape C-0065"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: rbac-manager\nrules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"bind\", \"escalate\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: sudoer\nrules:\n- apiGroups: [\"\"]\n  resources: [\"users\", \"groups\"]\n  verbs: [\"impersonate\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: rbac-viewer\nrules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterroles\"]\n  verbs: [\"get\", \"list\"]", false),
        ],
    };
}
