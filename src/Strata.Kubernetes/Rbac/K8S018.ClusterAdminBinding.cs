namespace Strata.Kubernetes.Rbac;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>A RoleBinding or ClusterRoleBinding to the cluster-admin ClusterRole.</summary>
public sealed class ClusterAdminBinding : Check<KubernetesObject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-018",
        Title = "Binding to cluster-admin",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "cluster-admin is every verb on every resource: bound by a ClusterRoleBinding it is the whole cluster, by a RoleBinding everything in that namespace (its Secrets, its pods, its RBAC). A workload's service account with it turns any compromise of the workload into a compromise of the cluster. Kubernetes' own binding (the ClusterRoleBinding cluster-admin to the group system:masters) is not reported. Bindings to a custom role with the same wildcards are found by K8S-012 and K8S-020.",
        Remediation = "Bind a role with the verbs and resources the subject needs; keep cluster-admin for break-glass identities, bound for a limited time.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"],
        Equivalents = ["kubescape C-0185", "kubescape C-0035", "kube-linter cluster-admin-role-binding", "Polaris clusterrolebindingClusterAdmin", "Polaris rolebindingClusterAdminClusterRole"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: build", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: cluster-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: system:masters", false, "Kubernetes' own binding"),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ci-view\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: build", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (RoleBindingView.From(subject) is not { RoleKind: "ClusterRole", RoleName: "cluster-admin" } binding
            || binding.Subjects.All(s => s is { Kind: "Group", Name: "system:masters" }))
        {
            yield break;
        }

        var subjects = string.Join(", ", binding.Subjects.Select(s => s.ToString()));
        yield return Finding.For(Rule, context.Target, subject.At(".roleRef.name", binding.RoleRef), string.Create(CultureInfo.InvariantCulture, $"{subject.ObjectName} grants cluster-admin {binding.Scope} to {(subjects.Length == 0 ? "no subject yet" : subjects)}."), Evidence.Plain($"roleRef: {binding.Role}; subjects: {subjects}"));
    }
}
