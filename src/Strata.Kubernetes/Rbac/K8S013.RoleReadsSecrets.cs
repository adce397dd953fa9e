namespace Strata.Kubernetes.Rbac;

using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class RoleReadsSecrets : RolePowerCheck
{
    protected override RbacPower Power => RbacPower.ReadSecrets;

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-013",
        Title = "Role can read Secrets",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "get, list or watch on secrets (directly or through a wildcard) hands over every credential stored in the namespaces where the role is bound: database passwords, TLS keys, registry credentials, and legacy service account tokens, which make it an escalation path to whatever those accounts can do. list and watch return the values too, not only names.",
        Remediation = "Grant get on the named Secrets the workload needs (`resourceNames: [app-db]`), never list/watch; mount Secrets into pods instead of reading them through the API.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets"],
        Equivalents = ["kubescape C-0015", "kubescape C-0186", "kube-linter access-to-secrets"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  verbs: [\"get\", \"list\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"get\", \"list\"]", false),
        ],
    };
}
