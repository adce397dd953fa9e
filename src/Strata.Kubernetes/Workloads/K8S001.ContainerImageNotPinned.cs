namespace Strata.Kubernetes.Workloads;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci;

/// <summary>
/// A container image referenced without a digest: untagged or <c>latest</c> (a moving tag, MEDIUM), or by a version
/// tag only (LOW). References that are not image references (unrendered templates) are left alone.
/// </summary>
public sealed class ContainerImageNotPinned : Check<PodSpecView>
{
    public override Rule Rule { get; } = new()
    {
        Id = "K8S-001",
        Title = "Container image not pinned by digest",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "The kubelet resolves a tag when it pulls, on each node and at each pull: an image without a tag means latest, whose default pull policy (Always) may start different code at every restart; a version tag can be moved by whoever controls the repository, and with IfNotPresent each node keeps running whatever it pulled first. What was scanned, reviewed or signed is then not necessarily what runs. Only a digest names one image. Reported as MEDIUM for no tag or latest, LOW for a version tag without a digest.",
        Remediation = "Reference images by digest, keeping the tag for readers: `image: registry.example.com/app:1.4.2@sha256:<digest>` (from `skopeo inspect docker://…` or `crane digest …`; kustomize `images:` with `digest:` and Helm values can set it at render time). Let Renovate or Dependabot update tag and digest together. Never deploy an untagged or latest image.",
        References =
        [
            "https://kubernetes.io/docs/concepts/containers/images/#image-names",
            "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
            "https://docs.kubelinter.io/#/generated/checks?id=latest-tag",
        ],
        Equivalents = ["kube-linter latest-tag", "kubescape C-0075 (latest without imagePullPolicy: Always)", "kubescape C-0306", "Polaris tagNotSpecified", "Trivy KSV013", "Checkov CKV_K8S_14", "Checkov CKV_K8S_43"],
        Examples =
        [
            new RuleExample("containers:\n- name: web\n  image: nginx", true, "no tag: latest"),
            new RuleExample("containers:\n- name: web\n  image: nginx:latest", true),
            new RuleExample("containers:\n- name: web\n  image: registry.example.com/shop/web:1.4.2", true, "LOW: a version tag, which can still move"),
            new RuleExample("containers:\n- name: web\n  image: registry.example.com/shop/web:1.4.2@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf", false),
            new RuleExample("containers:\n- name: web\n  image: nginx@sha256:ad86386827b083b3d71139050b47ffb32bbd9559ea9b1345a739b14fec2d9ecf", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            var node = YamlSource.Child(container, "image");
            if (YamlSource.Scalar(container, "image") is not { Length: > 0 } image
                || !ImageReference.TryParse(image, out var reference, out _)
                || reference.Digest is not null)
            {
                continue;
            }

            var location = subject.At(path + ".image", node);
            var evidence = Evidence.Plain("image: " + image);
            if (reference.Tag is null or ImageReference.DefaultTag)
            {
                var tag = reference.Tag is null ? "no tag, so latest" : "the tag latest";
                yield return Finding.For(Rule, context.Target, location, $"Container {name} of {subject.ObjectName} runs {image}, with {tag}: the image can change at any pull.", evidence);
            }
            else
            {
                yield return Finding.For(Rule, context.Target, location, $"Container {name} of {subject.ObjectName} runs {image}, pinned by tag only; the tag can move.", evidence, Severity.Low);
            }
        }
    }
}
