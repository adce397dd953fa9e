namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A pod that does not set automountServiceAccountToken: false, so its containers get an API token.</summary>
public sealed class ServiceAccountTokenAutomounted : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-008",
        Title = "Service account token mounted automatically",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "Unless the pod sets automountServiceAccountToken: false, every container gets a token of its service account at /var/run/secrets/kubernetes.io/serviceaccount: whoever takes over the process can call the API server with the account's permissions. Most applications never call the API. The rule reads the pod's own setting, which wins over the ServiceAccount's: a ServiceAccount with automountServiceAccountToken: false protects the pod only while nobody changes that account, which is why Polaris automountServiceAccountToken (which accepts the ServiceAccount's setting) is not listed as an equivalent.",
        Remediation = "Set `automountServiceAccountToken: false` in the pod spec; a pod that does call the API should get a dedicated service account with a minimal Role and a projected token (`serviceAccountToken` volume with an audience and a short expiry).",
        References =
        [
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
            "https://kubernetes.io/docs/concepts/security/service-accounts/",
        ],
        Equivalents = ["kubescape C-0034", "kubesec AutomountServiceAccountToken"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", true, "not set: the token is mounted"),
            new RuleExample("automountServiceAccountToken: true\ncontainers:\n- name: web\n  image: nginx:1.25", true),
            new RuleExample("automountServiceAccountToken: false\ncontainers:\n- name: web\n  image: nginx:1.25", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (YamlSource.Boolean(subject.Spec, "automountServiceAccountToken") != false)
        {
            var account = ServiceAccountOf(subject) ?? "default";
            var node = YamlSource.Child(subject.Spec, "automountServiceAccountToken") ?? subject.Spec;
            yield return Finding.For(Rule, context.Target, subject.At(subject.SpecPath + ".automountServiceAccountToken", node), $"{subject.ObjectName} does not set automountServiceAccountToken: false: its containers get a token of service account {account}.");
        }
    }

    /// <summary>spec.serviceAccountName, or the deprecated spec.serviceAccount; null for the namespace's default.</summary>
    internal static string? ServiceAccountOf(PodSpecView subject) =>
        YamlSource.Scalar(subject.Spec, "serviceAccountName") is { Length: > 0 } name ? name
        : YamlSource.Scalar(subject.Spec, "serviceAccount") is { Length: > 0 } legacy ? legacy
        : null;
}
