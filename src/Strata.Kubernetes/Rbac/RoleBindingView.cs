namespace Strata.Kubernetes.Rbac;

using Strata.Core.Documents;
using Strata.Kubernetes.Objects;
using YamlDotNet.RepresentationModel;

/// <summary>A subject of a RoleBinding or ClusterRoleBinding, with its index in <c>subjects</c>.</summary>
/// <param name="Namespace">A ServiceAccount's namespace (defaults to the binding's).</param>
public sealed record BindingSubject(string Kind, string Name, string? Namespace, int Index, YamlNode Node)
{
    public override string ToString() => Kind == "ServiceAccount" ? $"ServiceAccount {Namespace ?? "(applied namespace)"}/{Name}" : $"{Kind} {Name}";
}

/// <summary>The roleRef and subjects of a RoleBinding or ClusterRoleBinding.</summary>
public sealed class RoleBindingView
{
    private RoleBindingView(KubernetesObject binding, string roleKind, string roleName, YamlNode roleRef, IReadOnlyList<BindingSubject> subjects)
    {
        Binding = binding;
        RoleKind = roleKind;
        RoleName = roleName;
        RoleRef = roleRef;
        Subjects = subjects;
    }

    public KubernetesObject Binding { get; }

    /// <summary>Role or ClusterRole.</summary>
    public string RoleKind { get; }

    public string RoleName { get; }

    public YamlNode RoleRef { get; }

    public IReadOnlyList<BindingSubject> Subjects { get; }

    /// <summary>The binding's view, or null when the object is not a binding with a roleRef.</summary>
    public static RoleBindingView? From(KubernetesObject binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (!PolicyRule.IsBinding(binding.Kind) || YamlSource.Child(binding.Node, "roleRef") is not { } roleRef
            || YamlSource.Scalar(roleRef, "name") is not { Length: > 0 } roleName)
        {
            return null;
        }

        var subjects = new List<BindingSubject>();
        if (YamlSource.Child(binding.Node, "subjects") is YamlSequenceNode list)
        {
            var index = 0;
            foreach (var subject in list)
            {
                if (YamlSource.Scalar(subject, "kind") is { } kind && YamlSource.Scalar(subject, "name") is { } name)
                {
                    var ns = kind == "ServiceAccount" ? YamlSource.Scalar(subject, "namespace") ?? binding.Namespace : null;
                    subjects.Add(new BindingSubject(kind, name, ns, index, subject));
                }

                index++;
            }
        }

        return new RoleBindingView(binding, YamlSource.Scalar(roleRef, "kind") ?? "ClusterRole", roleName, roleRef, subjects);
    }

    /// <summary>e.g. <c>ClusterRole cluster-admin</c>.</summary>
    public string Role => $"{RoleKind} {RoleName}";

    /// <summary>Where the role's grants apply: every namespace (ClusterRoleBinding) or the binding's.</summary>
    public string Scope => Binding.Kind == "ClusterRoleBinding" ? "cluster-wide" : $"in namespace {Binding.Namespace ?? "(the one it is applied to)"}";
}
