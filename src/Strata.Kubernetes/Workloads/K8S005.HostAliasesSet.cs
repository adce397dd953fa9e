namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>A pod that writes its own /etc/hosts entries (hostAliases).</summary>
public sealed class HostAliasesSet : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-005",
        Title = "Pod overrides name resolution with hostAliases",
        Severity = Severity.Low,
        Layer = StackLayer.Orchestrator,
        Explanation = "hostAliases writes entries into the /etc/hosts the kubelet manages for the pod: names then resolve past the cluster's DNS and its policies, a manifest can silently point a well-known name (a registry, an API, the metadata service) at another address, and the file can no longer be changed after the containers start. Name resolution belongs to the cluster's DNS.",
        Remediation = "Remove `hostAliases` and publish the name in DNS (a Service, an ExternalName Service, a CoreDNS entry).",
        References = ["https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"],
        Equivalents = ["kubesec HostAliases"],
        Examples =
        [
            new RuleExample("hostAliases:\n- ip: 10.0.0.5\n  hostnames:\n  - registry.example.com\ncontainers:\n- name: web\n  image: nginx:1.25", true),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (YamlSource.Child(subject.Spec, "hostAliases") is not YamlSequenceNode { Children.Count: > 0 } aliases)
        {
            yield break;
        }

        var entries = aliases.OfType<YamlMappingNode>()
            .Select(a => $"{YamlSource.Scalar(a, "ip")} {string.Join(' ', Objects.KubernetesObject.Strings(a, "hostnames"))}")
            .Take(5);
        yield return Finding.For(Rule, context.Target, subject.At(subject.SpecPath + ".hostAliases", aliases), $"{subject.ObjectName} writes {aliases.Children.Count} /etc/hosts entr{(aliases.Children.Count == 1 ? "y" : "ies")}: {string.Join("; ", entries)}.", Evidence.Plain("hostAliases: " + string.Join("; ", entries)));
    }
}
