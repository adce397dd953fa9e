namespace Strata.Kubernetes.Rbac;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kubernetes.Objects;

/// <summary>A binding to system:anonymous or system:unauthenticated, or of a powerful built-in role to system:authenticated.</summary>
public sealed class BindingToUnauthenticated : Check<KubernetesObject>
{
    /// <summary>Kubernetes' own discovery roles, bound to these groups in every cluster.</summary>
    private static readonly HashSet<string> PublicRoles = new(StringComparer.Ordinal)
    {
        "system:public-info-viewer", "system:discovery", "system:basic-user", "system:service-account-issuer-discovery",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-019",
        Title = "Binding to anonymous, unauthenticated or all authenticated users",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "A subject system:anonymous (User) or system:unauthenticated (Group) gives the role to anyone who can reach the API server, without credentials (CRITICAL with cluster-admin). The group system:authenticated is everyone with any credential, every service account of every namespace included: bound to cluster-admin, admin or edit it is reported too (HIGH). Kubernetes' own discovery bindings (system:public-info-viewer, system:discovery, system:basic-user) are not reported.",
        Remediation = "Remove these subjects from the binding and bind named users, groups of your identity provider, or dedicated service accounts; keep anonymous authentication off (`--anonymous-auth=false`) or limited to health endpoints.",
        References =
        [
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
        ],
        Equivalents = ["kubescape C-0262", "kubescape C-0265", "kubesec BindingsToSystemAnonymous"],
        Examples =
        [
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: open-view\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: User\n  name: system:anonymous", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: all-edit\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: system:authenticated", true),
            new RuleExample("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: system:public-info-viewer\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: system:public-info-viewer\nsubjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: Group\n  name: system:unauthenticated", false, "Kubernetes' own discovery binding"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(KubernetesObject subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (RoleBindingView.From(subject) is not { } binding || PublicRoles.Contains(binding.RoleName))
        {
            yield break;
        }

        var builtIn = binding.RoleKind == "ClusterRole" ? RbacPowers.OfBuiltInClusterRole(binding.RoleName) : RbacPower.None;
        foreach (var who in binding.Subjects)
        {
            var anonymous = who is { Kind: "User", Name: "system:anonymous" } or { Kind: "Group", Name: "system:unauthenticated" };
            var authenticated = who is { Kind: "Group", Name: "system:authenticated" } && builtIn != RbacPower.None;
            if (!anonymous && !authenticated)
            {
                continue;
            }

            var severity = anonymous && builtIn.HasFlag(RbacPower.Everything) ? Severity.Critical : Severity.High;
            var audience = anonymous ? "anyone who can reach the API server, without credentials" : "every authenticated user and service account";
            yield return Finding.For(Rule, context.Target, subject.At(string.Create(CultureInfo.InvariantCulture, $".subjects[{who.Index}]"), who.Node), $"{subject.ObjectName} grants {binding.Role} {binding.Scope} to {who.Kind} {who.Name}: {audience}.", Evidence.Plain($"{who.Kind} {who.Name} → {binding.Role}"), severity);
        }
    }
}
