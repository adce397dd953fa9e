namespace Strata.Kubernetes.Rbac;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>
/// A service account that can make itself cluster-admin, or act as it, through its bindings: followed over the whole
/// file (roles and bindings in any order) as ServiceAccount → binding → role → rule.
/// </summary>
public sealed class ServiceAccountClusterAdminPath : Check<ManifestSummary>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-020",
        Title = "Service account can reach cluster-admin",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "A service account's token is in every pod that runs as it: whoever compromises one of those pods has what the account is bound to. Followed over the whole input, a binding gives the account cluster-admin power when its role grants every verb on every resource, escalate or bind on roles (grant itself anything), impersonate on users or groups (act as system:masters), nodes/proxy (the kubelets), or, bound cluster-wide or in kube-system, read on Secrets or create on pods (the tokens and pods of the control plane's own accounts). The finding names the path: ServiceAccount → binding → role → rule, and a workload of the input that runs as the account. A direct binding to cluster-admin is K8S-018's finding. Only roles and bindings in the input are followed: a directory scan sees only its own files, a cluster scan all of them.",
        Remediation = "Bind the account to a role with the verbs and resources its workload calls; remove escalate, bind, impersonate and nodes/proxy from workload roles; give the workload `automountServiceAccountToken: false` if it never calls the API.",
        References =
        [
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
        ],
        Equivalents = ["kubescape C-0267", "kubescape C-0272"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-rbac\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: rbac-manager\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: build\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: rbac-manager\nrules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"clusterrolebindings\", \"clusterroles\"]\n  verbs: [\"create\", \"bind\"]", true, "the role follows the binding"),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"list\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: backup\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: secret-reader\nsubjects:\n- kind: ServiceAccount\n  name: backup\n  namespace: ops", true, "every Secret of the cluster, the control plane's tokens included"),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: secret-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: app-secrets\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: secret-reader\nsubjects:\n- kind: ServiceAccount\n  name: app\n  namespace: shop", false, "the Secrets of one application namespace (K8S-013 reports the role)"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ManifestSummary subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var binding in subject.ServiceAccountBindings)
        {
            if (binding is { RoleKind: "ClusterRole", RoleName: "cluster-admin" })
            {
                continue;
            }

            var clusterWide = binding.ClusterWide || binding.BindingNamespace == "kube-system";
            var reach = clusterWide ? RbacPowers.TakeoverClusterWide : RbacPowers.Takeover;
            // A ClusterRole not in the input may be one of Kubernetes' own (admin, edit), whose grants are known.
            var grants = subject.GrantsOf(ManifestSummary.RoleKey(binding.RoleKind, binding.BindingNamespace, binding.RoleName))
                ?? (binding.RoleKind == "ClusterRole" && RbacPowers.OfBuiltInClusterRole(binding.RoleName) is var builtIn && builtIn != RbacPower.None
                    ? [new RoleGrant(builtIn, $"the built-in ClusterRole {binding.RoleName}", 0)]
                    : null);
            if (grants is null)
            {
                continue;
            }

            foreach (var grant in grants)
            {
                var powers = grant.Powers & reach;

                // Namespaced bindings cannot grant cluster-scoped resources (users, groups, nodes): only a ClusterRoleBinding gives those.
                if (!binding.ClusterWide)
                {
                    powers &= ~(RbacPower.Impersonate | RbacPower.NodesProxy);
                    if (binding.BindingNamespace != "kube-system")
                    {
                        powers &= ~RbacPower.EscalateOrBind;
                    }
                }

                if (powers == RbacPower.None)
                {
                    continue;
                }

                var user = subject.FirstUserOf(binding.Account) is { } workload ? $"; {workload} runs as it" : string.Empty;
                var account = binding.Account.StartsWith("system:", StringComparison.Ordinal) ? $"Group {binding.Account}" : $"ServiceAccount {binding.Account.TrimStart('/')}";
                var path = $"{account} → {binding.Binding} → {binding.RoleKind} {binding.RoleName} → {grant.Where}";
                var severity = powers.HasFlag(RbacPower.Everything) ? Severity.Critical : Severity.High;
                yield return Finding.For(Rule, context.Target, binding.Location, $"{account} can reach cluster-admin ({RbacPowers.Describe(powers)}): {path}{user}.", Evidence.Plain(path), severity);
                break;
            }
        }
    }
}
