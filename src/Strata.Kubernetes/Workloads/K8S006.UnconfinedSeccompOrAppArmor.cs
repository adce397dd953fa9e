namespace Strata.Kubernetes.Workloads;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;

/// <summary>Seccomp or AppArmor explicitly turned off: a profile of type Unconfined, at pod or container level, or in the legacy annotations.</summary>
public sealed class UnconfinedSeccompOrAppArmor : Check<PodSpecView>
{
    private const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string SeccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/";
    private const string AppArmorContainerAnnotation = "container.apparmor.security.beta.kubernetes.io/";

    public override Rule Rule { get; } = new()
    {
        Id = "K8S-006",
        Title = "Seccomp or AppArmor explicitly unconfined",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "A seccompProfile or appArmorProfile of type Unconfined (pod or container securityContext), or the legacy annotations `seccomp.security.alpha.kubernetes.io/pod`, `container.seccomp.security.alpha.kubernetes.io/<name>: unconfined` and `container.apparmor.security.beta.kubernetes.io/<name>: unconfined`, switch off the filter that blocks the kernel interfaces most container escapes use (unshare, mount, keyctl, bpf, ptrace …). This rule flags only the explicit opt-out; a pod that sets no profile at all is left to the Pod Security Standards restricted level, and Polaris linuxHardening, kubescape C-0055 and C-0210 (which require some profile) differ on purpose.",
        Remediation = "Remove the Unconfined profile and set `securityContext.seccompProfile.type: RuntimeDefault` (and `appArmorProfile.type: RuntimeDefault`) at the pod level, or a Localhost profile recorded for the workload (`strata seccomp record`).",
        References =
        [
            "https://kubernetes.io/docs/tutorials/security/seccomp/",
            "https://kubernetes.io/docs/tutorials/security/apparmor/",
        ],
        Equivalents = ["kubesec SeccompUnconfined", "kubesec ApparmorUnconfined"],
        Examples =
        [
            new RuleExample("securityContext:\n  seccompProfile:\n    type: Unconfined\ncontainers:\n- name: web\n  image: nginx:1.25", true),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25\n  securityContext:\n    appArmorProfile:\n      type: Unconfined", true),
            new RuleExample("apiVersion: v1\nkind: Pod\nmetadata:\n  name: legacy\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/web: unconfined\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25", true, "the annotation before Kubernetes 1.30"),
            new RuleExample("securityContext:\n  seccompProfile:\n    type: RuntimeDefault\ncontainers:\n- name: web\n  image: nginx:1.25", false),
            new RuleExample("containers:\n- name: web\n  image: nginx:1.25", false, "no profile: the restricted level's concern"),
        ],
    };

    public override bool AppliesTo(PodSpecView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = subject.IsWindows ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has neither seccomp nor AppArmor" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var finding in Profiles(subject, context, YamlSource.Child(subject.Spec, "securityContext"), subject.SpecPath + ".securityContext", subject.ObjectName))
        {
            yield return finding;
        }

        foreach (var (container, path, name) in subject.Containers())
        {
            foreach (var finding in Profiles(subject, context, YamlSource.Child(container, "securityContext"), path + ".securityContext", $"container {name} of {subject.ObjectName}"))
            {
                yield return finding;
            }
        }

        if (YamlSource.Child(subject.PodMetadata, "annotations") is not YamlMappingNode annotations)
        {
            yield break;
        }

        var metadataPath = subject.SpecPath[..subject.SpecPath.LastIndexOf('.')] + ".metadata.annotations";
        foreach (var (keyNode, valueNode) in annotations.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode { Value: { } value } || !value.Equals("unconfined", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var what = key == SeccompPodAnnotation ? "seccomp for the pod"
                : key.StartsWith(SeccompContainerAnnotation, StringComparison.Ordinal) ? $"seccomp for container {key[SeccompContainerAnnotation.Length..]}"
                : key.StartsWith(AppArmorContainerAnnotation, StringComparison.Ordinal) ? $"AppArmor for container {key[AppArmorContainerAnnotation.Length..]}"
                : null;
            if (what is not null)
            {
                yield return Finding.For(Rule, context.Target, subject.At(metadataPath + Objects.KubernetesObject.Member(key), valueNode), $"{subject.ObjectName} turns off {what} (annotation {key}: {value}).", Evidence.Plain($"{key}: {value}"));
            }
        }
    }

    private IEnumerable<Finding> Profiles(PodSpecView subject, CheckContext context, YamlNode? securityContext, string path, string who)
    {
        foreach (var (field, name) in new[] { ("seccompProfile", "seccomp"), ("appArmorProfile", "AppArmor") })
        {
            var type = YamlSource.Child(YamlSource.Child(securityContext, field), "type");
            if (type is YamlScalarNode { Value: "Unconfined" })
            {
                yield return Finding.For(Rule, context.Target, subject.At($"{path}.{field}.type", type), $"{char.ToUpperInvariant(who[0])}{who[1..]} runs with {name} Unconfined.", Evidence.Plain($"{field}.type: Unconfined"));
            }
        }
    }
}
