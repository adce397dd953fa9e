namespace Strata.Kubernetes.Live;

/// <summary>One kind of object a live-cluster scan lists, and where the API serves its list.</summary>
/// <param name="Kind">The object's kind, e.g. <c>Deployment</c>; list responses leave it out of their items.</param>
/// <param name="ApiVersion">e.g. <c>apps/v1</c>, or <c>v1</c> for the core group.</param>
/// <param name="Plural">The resource name in the URL, e.g. <c>deployments</c>.</param>
/// <param name="Namespaced">Listed per namespace with <c>--namespace</c>; a cluster-scoped one is always listed whole.</param>
public sealed record ClusterResource(string Kind, string ApiVersion, string Plural, bool Namespaced)
{
    /// <summary>
    /// What a scan lists, owners before what they own (CronJob before Job, Deployment before ReplicaSet, workloads
    /// before Pods), so an owned object can be skipped as it arrives.
    /// </summary>
    public static IReadOnlyList<ClusterResource> All { get; } =
    [
        new("Namespace", "v1", "namespaces", false),
        new("CronJob", "batch/v1", "cronjobs", true),
        new("Deployment", "apps/v1", "deployments", true),
        new("StatefulSet", "apps/v1", "statefulsets", true),
        new("DaemonSet", "apps/v1", "daemonsets", true),
        new("ReplicaSet", "apps/v1", "replicasets", true),
        new("Job", "batch/v1", "jobs", true),
        new("ReplicationController", "v1", "replicationcontrollers", true),
        new("Pod", "v1", "pods", true),
        new("PodTemplate", "v1", "podtemplates", true),
        new("Role", "rbac.authorization.k8s.io/v1", "roles", true),
        new("ClusterRole", "rbac.authorization.k8s.io/v1", "clusterroles", false),
        new("RoleBinding", "rbac.authorization.k8s.io/v1", "rolebindings", true),
        new("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "clusterrolebindings", false),
        new("ServiceAccount", "v1", "serviceaccounts", true),
        new("NetworkPolicy", "networking.k8s.io/v1", "networkpolicies", true),
        new("Service", "v1", "services", true),
        new("Ingress", "networking.k8s.io/v1", "ingresses", true),
        new("ConfigMap", "v1", "configmaps", true),
        new("Secret", "v1", "secrets", true),
    ];

    /// <summary>Kinds whose objects own others through a controller reference: what they own is not listed again.</summary>
    public bool IsController => Kind is "CronJob" or "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "ReplicationController";

    /// <summary>The path of the list, cluster-wide or in <paramref name="ns"/>: <c>/apis/apps/v1/namespaces/shop/deployments</c>.</summary>
    public string ListPath(string? ns)
    {
        var root = ApiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{ApiVersion}" : $"/api/{ApiVersion}";
        return ns is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }
}
