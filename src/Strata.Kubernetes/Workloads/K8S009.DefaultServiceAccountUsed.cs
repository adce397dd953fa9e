namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A pod that runs as its namespace's default service account.</summary>
public sealed class DefaultServiceAccountUsed : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-009",
        Title = "Pod runs as the default service account",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "Every pod that names no service account runs as the namespace's `default` one, so whatever is granted to `default` (often by a chart that needed it once) is granted to every such pod, and what a workload may do cannot be audited per workload. kubescape C-0189 checks the ServiceAccount object (its automount setting and bindings) rather than the pods, so it is not listed as an equivalent.",
        Remediation = "Create a ServiceAccount per workload, set `serviceAccountName` in the pod spec, and bind only what that workload needs; leave `default` with no bindings and `automountServiceAccountToken: false`.",
        References = ["https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts"],
        Equivalents = ["kube-linter default-service-account", "kubesec ServiceAccountName"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", true, "no serviceAccountName"),
            new RuleExample("serviceAccountName: default\ncontainers:\n- name: web\n  image: nginx:1.25", true),
            new RuleExample("serviceAccountName: web\ncontainers:\n- name: web\n  image: nginx:1.25", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var account = ServiceAccountTokenAutomounted.ServiceAccountOf(subject);
        if (account is null or "default")
        {
            var node = YamlSource.Child(subject.Spec, "serviceAccountName") ?? subject.Spec;
            var how = account is null ? "names no service account" : "names serviceAccountName: default";
            yield return Finding.For(Rule, context.Target, subject.At(subject.SpecPath + ".serviceAccountName", node), $"{subject.ObjectName} {how}: it runs as the namespace's default service account.");
        }
    }
}
