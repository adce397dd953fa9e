namespace Strata.Kubernetes.Rbac;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Kubernetes.Objects;

/// <summary>
/// A check of the rules of Roles and ClusterRoles for one power (<see cref="RbacPower"/>): one finding per rule that
/// grants it. Kubernetes' own ClusterRoles (<c>system:</c> names, bootstrap policy) are not reported here, as kube-linter
/// and Polaris do; the service-account path check (K8S-020) still follows them.
/// </summary>
public abstract class RolePowerCheck : Check<KubernetesObject>
{
    /// <summary>The power (or powers) this check reports.</summary>
    protected abstract RbacPower Power { get; }

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
            var granted = RbacPowers.Of(rule) & Power;
            if (granted != RbacPower.None)
            {
                var scope = subject.Kind == "ClusterRole" ? "in every namespace it is bound for" : $"in namespace {subject.Namespace ?? "(the one it is applied to)"}";
                yield return Finding.For(Rule, context.Target, subject.At(rule.Path, rule.Node), $"{subject.ObjectName} grants {RbacPowers.Describe(granted)} {scope}: {rule.Describe()}.", Evidence.Plain(rule.Describe()), SeverityOf(subject, granted));
            }
        }
    }

    /// <summary>The finding's severity; the rule's by default.</summary>
    protected virtual Severity SeverityOf(KubernetesObject subject, RbacPower granted) => Rule.Severity;
}
