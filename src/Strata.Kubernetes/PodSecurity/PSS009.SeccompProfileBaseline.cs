namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class SeccompProfileBaseline : PodSecurityCheck
{
    internal const string PodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";

    internal const string ContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    public SeccompProfileBaseline() => Versions = [new(0, Evaluate1_0), new(19, Evaluate1_19)];

    public override string UpstreamId => "seccompProfile_baseline";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-009",
        Title = "Seccomp disabled",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "A seccomp profile of type Unconfined lets the container make every system call, the whole kernel attack surface, including those most container escapes use. Pod Security Standards: from the baseline level up, only RuntimeDefault or Localhost profiles (or none) may be set; before v1.19 the check reads the seccomp.security.alpha.kubernetes.io annotations (runtime/default, docker/default, localhost/*), from v1.19 the securityContext.seccompProfile fields. At the restricted level the stricter seccomp check (PSS-017) reports it instead.",
        Remediation = "Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a profile) on the pod, and remove Unconfined.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline", "https://kubernetes.io/docs/tutorials/security/seccomp/"],
        Equivalents = ["pod-security-admission seccompProfile_baseline"],
        Examples =
        [
            new RuleExample(BaselineNamespace.Pod("  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: app"), true, "in a namespace enforcing baseline"),
            new RuleExample(BaselineNamespace.Pod("  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app"), false),
        ],
    };

    internal static bool ValidType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool ValidAnnotation(string value) => value is "runtime/default" or "docker/default" || value.StartsWith("localhost/", StringComparison.Ordinal);

    /// <summary>v1.0: the alpha annotations of the pod template's metadata.</summary>
    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        var annotations = PodFields.Get(pod.PodMetadata, "annotations") as YamlMappingNode;
        if (annotations is null)
        {
            return null;
        }

        List<string>? forbidden = null;
        var where = default(Offenders);
        Inspect(PodAnnotation);
        foreach (var container in PodFields.Containers(pod))
        {
            Inspect(ContainerAnnotationPrefix + container.Name);
        }

        return forbidden is null ? null : new(this, "seccompProfile", $"forbidden {Pluralize("annotation", "annotations", SortedSet(forbidden).Count)} {string.Join(", ", forbidden)}", pod, where.Path!, where.Node);

        void Inspect(string key)
        {
            if (PodFields.Get(annotations, key) is YamlNode node && PodFields.Text(annotations, key) is { } value && !ValidAnnotation(value))
            {
                (forbidden ??= []).Add($"{key}={Quote(value)}");
                where.Mark($"{MetadataPath(pod)}.annotations['{key}']", node);
            }
        }
    }

    /// <summary>v1.19: the securityContext.seccompProfile fields; unset is allowed at the baseline level.</summary>
    private PodSecurityViolation? Evaluate1_19(PodSpecView pod)
    {
        List<string>? setters = null;
        List<string>? values = null;
        var where = default(Offenders);
        var podProfile = PodFields.Get(PodFields.Get(pod.Spec, "securityContext"), "seccompProfile");
        if (podProfile is not null && PodFields.Text(podProfile, "type") is var podType && !ValidType(podType))
        {
            (setters ??= []).Add("pod");
            (values ??= []).Add(podType ?? string.Empty);
            where.Mark(pod.SpecPath + ".securityContext.seccompProfile.type", PodFields.Get(podProfile, "type") ?? podProfile);
        }

        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var profile = PodFields.Get(container.SecurityContext, "seccompProfile");
            if (profile is not null && PodFields.Text(profile, "type") is var type && !ValidType(type))
            {
                bad.Add(pod, container, ".securityContext.seccompProfile.type", PodFields.Get(profile, "type") ?? profile);
                (values ??= []).Add(type ?? string.Empty);
            }
        }

        if (values is null)
        {
            return null;
        }

        if (bad.Any)
        {
            (setters ??= []).Add($"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)}");
            where.Mark(bad.Path!, bad.Node);
        }

        return new(this, "seccompProfile", $"{string.Join(" and ", setters!)} must not set securityContext.seccompProfile.type to {JoinQuote(SortedSet(values))}", pod, where.Path!, where.Node);
    }

    /// <summary>The JSON path of the pod's metadata: <c>$.metadata</c>, or the template's.</summary>
    internal static string MetadataPath(PodSpecView pod) => pod.SpecPath[..^".spec".Length] + ".metadata";
}
