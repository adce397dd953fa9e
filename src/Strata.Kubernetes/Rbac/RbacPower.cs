namespace Strata.Kubernetes.Rbac;

/// <summary>What an RBAC rule lets its subjects do that matters for the cluster's security.</summary>
[Flags]
public enum RbacPower
{
    None = 0,

    /// <summary>Every verb on every resource of every group: cluster-admin itself.</summary>
    Everything = 1,

    /// <summary>get, list or watch Secrets: service account tokens and every workload's credentials.</summary>
    ReadSecrets = 2,

    /// <summary>create Pods or the controllers that make them: run any image with any service account of the namespace.</summary>
    CreateWorkloads = 4,

    /// <summary>pods/exec, pods/attach or pods/portforward: a shell in, or a tunnel to, running containers.</summary>
    ExecAttachPortForward = 8,

    /// <summary>escalate or bind on roles: grant permissions the subject does not have.</summary>
    EscalateOrBind = 16,

    /// <summary>impersonate users, groups or service accounts: act as anyone, system:masters included.</summary>
    Impersonate = 32,

    /// <summary>nodes/proxy: the kubelet API of every node (exec in any pod, bypassing admission and audit).</summary>
    NodesProxy = 64,
}

/// <summary>The powers a policy rule grants.</summary>
public static class RbacPowers
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Create = ["create"];
    private static readonly string[] Open = ["create", "get"];
    private static readonly string[] AnyVerb = ["get", "create", "update", "patch", "delete", "list", "watch", "proxy"];

    private static readonly string[] ExecResources = ["pods/exec", "pods/attach", "pods/portforward"];
    private static readonly string[] RoleResources = ["roles", "clusterroles"];
    private static readonly string[] IdentityResources = ["users", "groups", "serviceaccounts"];
    private static readonly string[] EscalateOrBindVerbs = ["escalate", "bind"];
    private static readonly string[] ImpersonateVerb = ["impersonate"];

    private static readonly string[] WorkloadResources = ["pods", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", "replicationcontrollers"];

    /// <summary>Powers with which a subject can make itself cluster-admin, or act as it, whatever the binding's scope.</summary>
    public const RbacPower Takeover = RbacPower.Everything | RbacPower.EscalateOrBind | RbacPower.Impersonate | RbacPower.NodesProxy;

    /// <summary>Powers that reach cluster-admin when granted over every namespace (a ClusterRoleBinding): kube-system's secrets and pods.</summary>
    public const RbacPower TakeoverClusterWide = Takeover | RbacPower.ReadSecrets | RbacPower.CreateWorkloads;

    public static RbacPower Of(PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var powers = RbacPower.None;
        if (rule.Verbs.Contains("*") && rule.Resources.Contains("*") && rule.ApiGroups.Contains("*") && rule.ResourceNames.Count == 0)
        {
            powers |= RbacPower.Everything;
        }

        if (rule.Grants(Read, "secrets", string.Empty))
        {
            powers |= RbacPower.ReadSecrets;
        }

        if (WorkloadResources.Any(r => rule.Grants(Create, r, string.Empty, "apps", "batch", "extensions")))
        {
            powers |= RbacPower.CreateWorkloads;
        }

        if (ExecResources.Any(r => rule.Grants(Open, r, string.Empty)))
        {
            powers |= RbacPower.ExecAttachPortForward;
        }

        if (RoleResources.Any(r => rule.Grants(EscalateOrBindVerbs, r, "rbac.authorization.k8s.io")))
        {
            powers |= RbacPower.EscalateOrBind;
        }

        if (IdentityResources.Any(r => rule.Grants(ImpersonateVerb, r, string.Empty)))
        {
            powers |= RbacPower.Impersonate;
        }

        if (rule.Grants(AnyVerb, "nodes/proxy", string.Empty))
        {
            powers |= RbacPower.NodesProxy;
        }

        return powers;
    }

    /// <summary>The built-in ClusterRoles that grant these powers (kube-apiserver's bootstrap policy), for bindings to roles not in the input.</summary>
    public static RbacPower OfBuiltInClusterRole(string name) => name switch
    {
        "cluster-admin" => RbacPower.Everything,

        // admin and edit: the Secrets, workloads and exec of the namespaces they are bound in.
        "admin" or "edit" => RbacPower.ReadSecrets | RbacPower.CreateWorkloads | RbacPower.ExecAttachPortForward,
        _ => RbacPower.None,
    };

    public static string Describe(RbacPower powers) => string.Join(", ", Enum.GetValues<RbacPower>().Where(p => p != RbacPower.None && powers.HasFlag(p)).Select(p => p switch
    {
        RbacPower.Everything => "every verb on every resource (*)",
        RbacPower.ReadSecrets => "read Secrets",
        RbacPower.CreateWorkloads => "create Pods or workloads",
        RbacPower.ExecAttachPortForward => "exec/attach/port-forward into Pods",
        RbacPower.EscalateOrBind => "escalate or bind roles",
        RbacPower.Impersonate => "impersonate",
        RbacPower.NodesProxy => "nodes/proxy",
        _ => p.ToString(),
    }));
}
