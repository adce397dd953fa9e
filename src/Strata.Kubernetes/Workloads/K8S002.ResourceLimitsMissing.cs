namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A container without CPU and memory limits and requests.</summary>
public sealed class ResourceLimitsMissing : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-002",
        Title = "Container without resource limits or requests",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "A container without a memory limit can take the node's memory until the kernel's OOM killer picks victims among its neighbours; one without a CPU limit can starve them; without requests the scheduler places it blind and it is evicted first. A compromised or runaway container then becomes a denial of service for the node. Memory limit missing is MEDIUM, the rest LOW. A LimitRange of the namespace may fill in defaults at admission: a manifest scan cannot see one that is not in its input.",
        Remediation = "Set `resources.requests` and `resources.limits` for `cpu` and `memory` on every container (a memory limit equal to the request is the safest), or give the namespace a LimitRange with defaults.",
        References =
        [
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "https://kubernetes.io/docs/concepts/policy/limit-range/",
        ],
        Equivalents =
        [
            "kubescape C-0004", "kubescape C-0050", "kubescape C-0009", "kubescape C-0268", "kubescape C-0269", "kubescape C-0270", "kubescape C-0271",
            "Polaris cpuLimitsMissing", "Polaris cpuRequestsMissing", "Polaris memoryLimitsMissing", "Polaris memoryRequestsMissing",
            "kube-linter unset-cpu-requirements", "kube-linter unset-memory-requirements",
            "kubesec LimitsCPU", "kubesec LimitsMemory", "kubesec RequestsCPU", "kubesec RequestsMemory",
        ],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", true, "no resources at all"),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  resources:\n    requests:\n      cpu: 100m\n      memory: 64Mi", true, "requests without limits"),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  resources:\n    requests:\n      cpu: 100m\n      memory: 64Mi\n    limits:\n      cpu: 500m\n      memory: 64Mi", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            if (path.Contains(".ephemeralContainers[", StringComparison.Ordinal))
            {
                // Ephemeral containers cannot have resources.
                continue;
            }

            var resources = YamlSource.Child(container, "resources");
            var missing = new List<string>();
            foreach (var kind in new[] { "limits", "requests" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (YamlSource.Scalar(YamlSource.Child(resources, kind), resource) is not { Length: > 0 })
                    {
                        missing.Add($"{kind}.{resource}");
                    }
                }
            }

            if (missing.Count > 0)
            {
                var severity = missing.Contains("limits.memory") ? Severity.Medium : Severity.Low;
                yield return Finding.For(Rule, context.Target, subject.At(path + ".resources", resources ?? container), $"Container {name} of {subject.ObjectName} sets no {string.Join(", ", missing)}.", Evidence.Plain("missing: " + string.Join(", ", missing)), severity);
            }
        }
    }
}
