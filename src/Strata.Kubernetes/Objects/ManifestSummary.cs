namespace Strata.Kubernetes.Objects;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Kubernetes.Rbac;

/// <summary>A rule of a role that grants a power, as the whole-file checks remember it.</summary>
/// <param name="Where">e.g. <c>rules[0]</c>, with the rule's verbs, resources and groups.</param>
public sealed record RoleGrant(RbacPower Powers, string Where, int Line);

/// <summary>A ServiceAccount subject of a binding, as the whole-file checks remember it.</summary>
public sealed record ServiceAccountBinding(string Account, string Binding, bool ClusterWide, string? BindingNamespace, string RoleKind, string RoleName, Location Location);

/// <summary>The workloads of one namespace, as the NetworkPolicy check remembers them.</summary>
public sealed class NamespaceWorkloads
{
    public int Count { get; set; }

    public required string First { get; init; }

    public required Location FirstLocation { get; init; }
}

/// <summary>
/// What the whole-file checks need from a manifest (or a cluster's listing), built one object at a time while the
/// objects stream by: compact facts, not the objects. Roles keep only the rules that grant a power; bindings only
/// their service account subjects; namespaces a count of workloads and whether a NetworkPolicy is there. Each table
/// stops growing at <see cref="MaxEntries"/> (<see cref="Truncated"/> says so).
/// </summary>
public sealed class ManifestSummary(string file)
{
    /// <summary>Entries per table; a file with more roles, bindings or namespaces is summarised in part.</summary>
    public const int MaxEntries = 100_000;

    private readonly Dictionary<string, List<RoleGrant>> roles = new(StringComparer.Ordinal);
    private readonly List<ServiceAccountBinding> bindings = [];
    private readonly Dictionary<string, NamespaceWorkloads> workloads = new(StringComparer.Ordinal);
    private readonly HashSet<string> policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> users = new(StringComparer.Ordinal);

    public string File { get; } = file;

    /// <summary>A table reached <see cref="MaxEntries"/>: the whole-file findings may be incomplete.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Service account subjects of bindings, in input order.</summary>
    public IReadOnlyList<ServiceAccountBinding> ServiceAccountBindings => bindings;

    /// <summary>Namespaces with workloads ("" for workloads that name none), in first-seen order.</summary>
    public IReadOnlyDictionary<string, NamespaceWorkloads> Workloads => workloads;

    /// <summary>Namespaces that have at least one NetworkPolicy ("" for policies that name none).</summary>
    public IReadOnlySet<string> NetworkPolicyNamespaces => policies;

    /// <summary>The key of a role: <c>ClusterRole/name</c> or <c>Role/namespace/name</c>.</summary>
    public static string RoleKey(string kind, string? ns, string name) => kind == "ClusterRole" ? $"ClusterRole/{name}" : $"Role/{ns}/{name}";

    /// <summary>The rules of a role that grant a power, or null when the input has no such role with powers.</summary>
    public IReadOnlyList<RoleGrant>? GrantsOf(string key) => roles.TryGetValue(key, out var grants) ? grants : null;

    /// <summary>The first workload that runs as a service account (<c>namespace/name</c>), or null.</summary>
    public string? FirstUserOf(string account) => users.TryGetValue(account, out var user) ? user : null;

    /// <summary>Records what the whole-file checks need from one object.</summary>
    public void Add(KubernetesObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (PolicyRule.IsRole(item.Kind))
        {
            var grants = PolicyRule.Of(item)
                .Select(r => (Rule: r, Powers: RbacPowers.Of(r)))
                .Where(r => r.Powers != RbacPower.None)
                .Select(r => new RoleGrant(r.Powers, $"{item.ObjectName}{r.Rule.Path} ({r.Rule.Describe()})", YamlSource.LineOf(r.Rule.Node)))
                .Take(16)
                .ToList();
            if (grants.Count > 0 && Room(roles.Count))
            {
                roles[RoleKey(item.Kind, item.Namespace, item.Name)] = grants;
            }
        }
        else if (RoleBindingView.From(item) is { } binding)
        {
            foreach (var subject in binding.Subjects.Where(s => s.Kind == "ServiceAccount" || s is { Kind: "Group", Name: "system:serviceaccounts" } || s.Name.StartsWith("system:serviceaccounts:", StringComparison.Ordinal)))
            {
                if (!Room(bindings.Count))
                {
                    break;
                }

                var account = subject.Kind == "ServiceAccount" ? $"{subject.Namespace ?? string.Empty}/{subject.Name}" : subject.Name;
                bindings.Add(new ServiceAccountBinding(account, item.ObjectName, item.Kind == "ClusterRoleBinding", item.Namespace, binding.RoleKind, binding.RoleName, item.At($".subjects[{subject.Index}]", subject.Node)));
            }
        }
        else if (item.Kind == "NetworkPolicy")
        {
            if (Room(policies.Count))
            {
                policies.Add(item.Namespace ?? string.Empty);
            }
        }

        foreach (var pod in item.PodSpecs())
        {
            var ns = item.Namespace ?? string.Empty;
            if (workloads.TryGetValue(ns, out var known))
            {
                known.Count++;
            }
            else if (Room(workloads.Count))
            {
                workloads[ns] = new NamespaceWorkloads { Count = 1, First = item.ObjectName, FirstLocation = item.At(string.Empty, item.Node) };
            }

            var account = $"{ns}/{YamlSource.Scalar(pod.Spec, "serviceAccountName") ?? YamlSource.Scalar(pod.Spec, "serviceAccount") ?? "default"}";
            if (!users.ContainsKey(account) && Room(users.Count))
            {
                users[account] = item.ObjectName;
            }
        }
    }

    private bool Room(int count)
    {
        if (count < MaxEntries)
        {
            return true;
        }

        Truncated = true;
        return false;
    }
}
