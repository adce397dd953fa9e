namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class AppArmorProfile : PodSecurityCheck
{
    private const string AnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public AppArmorProfile() => Versions = [new(0, Evaluate1_0)];

    public override string UpstreamId => "appArmorProfile";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-012",
        Title = "AppArmor disabled or overridden",
        Severity = Severity.High,
        Layer = StackLayer.Orchestrator,
        Explanation = "On AppArmor hosts the runtime confines containers with its default profile; an Unconfined profile (or any type other than RuntimeDefault and Localhost), or a container.apparmor.security.beta.kubernetes.io annotation other than runtime/default or localhost/*, removes that confinement. Pod Security Standards: forbidden from the baseline level up, in every version, for the fields and the beta annotations alike.",
        Remediation = "Remove the Unconfined AppArmor profile; use RuntimeDefault or a Localhost profile.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline", "https://kubernetes.io/docs/tutorials/security/apparmor/"],
        Equivalents = ["pod-security-admission appArmorProfile"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  securityContext:\n    appArmorProfile:\n      type: Unconfined", true),
            new RuleExample("containers:\n- name: app\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault", false),
        ],
    };

    private static bool AllowedType(string? type) => type is "RuntimeDefault" or "Localhost";

    private static bool AllowedAnnotation(string value) => value.Length == 0 || value == "runtime/default" || value.StartsWith("localhost/", StringComparison.Ordinal);

    private PodSecurityViolation? Evaluate1_0(PodSpecView pod)
    {
        List<string>? values = null;
        var where = default(Offenders);
        var podBad = false;
        var podProfile = PodFields.Get(PodFields.Get(pod.Spec, "securityContext"), "appArmorProfile");
        if (podProfile is not null && PodFields.Text(podProfile, "type") is var podType && !AllowedType(podType))
        {
            podBad = true;
            (values ??= []).Add(podType ?? string.Empty);
            where.Mark(pod.SpecPath + ".securityContext.appArmorProfile.type", PodFields.Get(podProfile, "type") ?? podProfile);
        }

        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var profile = PodFields.Get(container.SecurityContext, "appArmorProfile");
            if (profile is not null && PodFields.Text(profile, "type") is var type && !AllowedType(type))
            {
                bad.Add(pod, container, ".securityContext.appArmorProfile.type", PodFields.Get(profile, "type") ?? profile);
                (values ??= []).Add(type ?? string.Empty);
            }
        }

        List<string>? annotations = null;
        if (PodFields.Get(pod.PodMetadata, "annotations") is YamlMappingNode map)
        {
            var children = map.Children;
            for (var i = 0; i < children.Count; i++)
            {
                var pair = children[i];
                if (pair.Key is YamlScalarNode { Value: { } key } && key.StartsWith(AnnotationPrefix, StringComparison.Ordinal))
                {
                    var value = PodFields.IsNull(pair.Value) ? string.Empty : (pair.Value as YamlScalarNode)?.Value ?? string.Empty;
                    if (!AllowedAnnotation(value))
                    {
                        (annotations ??= []).Add($"{key}={Quote(value)}");
                        where.Mark($"{SeccompProfileBaseline.MetadataPath(pod)}.annotations['{key}']", pair.Value);
                    }
                }
            }
        }

        if (!podBad && !bad.Any && annotations is null)
        {
            return null;
        }

        var setters = new List<string>(3);
        if (podBad)
        {
            setters.Add("pod");
        }

        if (bad.Any)
        {
            setters.Add($"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)}");
            where.Mark(bad.Path!, bad.Node);
        }

        var list = values is null ? [] : SortedSet(values);
        if (annotations is not null)
        {
            annotations.Sort(StringComparer.Ordinal);
            list.AddRange(annotations);
            setters.Add(Pluralize("annotation", "annotations", annotations.Count));
        }

        return new(this, Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", list.Count), $"{string.Join(" and ", setters)} must not set AppArmor profile type to {JoinQuote(list)}", pod, where.Path!, where.Node);
    }
}
