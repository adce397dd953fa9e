namespace Strata.Kubernetes.Rbac;

using System.Globalization;
using Strata.Core.Documents;
using Strata.Kubernetes.Objects;
using YamlDotNet.RepresentationModel;

/// <summary>One entry of a Role's or ClusterRole's <c>rules</c>, read as the RBAC authorizer matches it (<c>*</c> matches all).</summary>
public sealed class PolicyRule
{
    private PolicyRule(YamlMappingNode node, int index)
    {
        Node = node;
        Index = index;
        ApiGroups = [.. KubernetesObject.Strings(node, "apiGroups")];
        Resources = [.. KubernetesObject.Strings(node, "resources")];
        Verbs = [.. KubernetesObject.Strings(node, "verbs")];
        ResourceNames = [.. KubernetesObject.Strings(node, "resourceNames")];
    }

    /// <summary>The roles whose rules are RBAC rules.</summary>
    public static bool IsRole(string kind) => kind is "Role" or "ClusterRole";

    /// <summary>The bindings.</summary>
    public static bool IsBinding(string kind) => kind is "RoleBinding" or "ClusterRoleBinding";

    public YamlMappingNode Node { get; }

    public int Index { get; }

    /// <summary>e.g. <c>.rules[2]</c>.</summary>
    public string Path => string.Create(CultureInfo.InvariantCulture, $".rules[{Index}]");

    public IReadOnlyList<string> ApiGroups { get; }

    public IReadOnlyList<string> Resources { get; }

    public IReadOnlyList<string> Verbs { get; }

    /// <summary>A rule limited to named objects grants less than one over every object of its resources.</summary>
    public IReadOnlyList<string> ResourceNames { get; }

    /// <summary>The rules of a Role or ClusterRole.</summary>
    public static IEnumerable<PolicyRule> Of(KubernetesObject role)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!IsRole(role.Kind) || YamlSource.Child(role.Node, "rules") is not YamlSequenceNode rules)
        {
            yield break;
        }

        var index = 0;
        foreach (var rule in rules)
        {
            if (rule is YamlMappingNode map)
            {
                yield return new PolicyRule(map, index);
            }

            index++;
        }
    }

    /// <summary>True when the rule grants one of <paramref name="verbs"/> on <paramref name="resource"/> (<c>pods/exec</c>) of the core or any of <paramref name="groups"/>.</summary>
    public bool Grants(IEnumerable<string> verbs, string resource, params string[] groups) =>
        verbs.Any(v => Verbs.Contains(v) || Verbs.Contains("*"))
        && (ApiGroups.Contains("*") || groups.Any(ApiGroups.Contains))
        && (Resources.Contains("*") || Resources.Contains(resource) || (resource.Split('/') is [var parent, _] && Resources.Contains(parent + "/*")));

    /// <summary>The verb, resource and group lists as one line, e.g. <c>verbs [get list] on secrets in apiGroups [""]</c>.</summary>
    public string Describe() =>
        $"verbs [{string.Join(' ', Verbs)}] on [{string.Join(' ', Resources)}] in apiGroups [{string.Join(' ', ApiGroups.Select(g => g.Length == 0 ? "\"\"" : g))}]"
        + (ResourceNames.Count > 0 ? $" (resourceNames [{string.Join(' ', ResourceNames)}])" : string.Empty);
}
