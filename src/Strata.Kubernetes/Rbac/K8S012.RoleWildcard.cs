namespace Strata.Kubernetes.Rbac;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>A wildcard (<c>*</c>) in the verbs, resources or apiGroups of a Role's or ClusterRole's rule.</summary>
public sealed class RoleWildcard : Check<KubernetesObject>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-012",
        Title = "Wildcard in a Role or ClusterRole rule",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "A `*` in verbs, resources or apiGroups grants what exists today and whatever is added later: new subresources, new verbs (escalate, bind, impersonate), the resources of every CRD installed afterwards. A rule with `*` in all three is cluster-admin (HIGH). Kubernetes' own ClusterRoles (system: names) are not reported.",
        Remediation = "List the verbs, resources and API groups the subject needs; bind cluster-admin explicitly, and rarely, where all is meant.",
        References = ["https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege"],
        Equivalents = ["kubescape C-0187", "kube-linter wildcard-in-rules"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]", true, "HIGH: cluster-admin under another name"),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"*\"]", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"get\", \"watch\"]", false),
        ],
    };

    public override bool AppliesTo(KubernetesObject subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = PolicyRule.IsRole(subject.Kind) && subject.Name.StartsWith("system:", StringComparison.Ordinal)
            ? $"{subject.ObjectName} is one of Kubernetes' own roles (system: prefix)"
            : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var rule in PolicyRule.Of(subject))
        {
            var wildcards = new[] { ("verbs", rule.Verbs), ("resources", rule.Resources), ("apiGroups", rule.ApiGroups) }
                .Where(f => f.Item2.Contains("*"))
                .Select(f => f.Item1)
                .ToList();
            if (wildcards.Count > 0)
            {
                var everything = (RbacPowers.Of(rule) & RbacPower.Everything) != 0;
                yield return Finding.For(Rule, context.Target, subject.At(rule.Path, rule.Node), $"{subject.ObjectName} has * in {string.Join(", ", wildcards)}{(everything ? ": every verb on every resource, as cluster-admin" : string.Empty)}: {rule.Describe()}.", Evidence.Plain(rule.Describe()), everything ? Severity.High : Severity.Medium);
            }
        }
    }
}
