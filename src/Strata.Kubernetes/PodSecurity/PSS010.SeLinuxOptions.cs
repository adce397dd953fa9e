namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class SeLinuxOptions : PodSecurityCheck
{
    private static readonly HashSet<string> Types1_0 = new(StringComparer.Ordinal) { string.Empty, "container_t", "container_init_t", "container_kvm_t" };

    private static readonly HashSet<string> Types1_31 = new(Types1_0, StringComparer.Ordinal) { "container_engine_t" };

    public SeLinuxOptions() => Versions = [new(0, pod => Evaluate(pod, Types1_0)), new(31, pod => Evaluate(pod, Types1_31))];

    public override string UpstreamId => "seLinuxOptions";

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-010",
        Title = "Custom SELinux user, role or type",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "seLinuxOptions can give the container another SELinux user, role or a type other than the container types (spc_t, unconfined_t…), which lifts the SELinux confinement of its processes. Pod Security Standards: from the baseline level up, user and role must be unset, and type unset or one of container_t, container_init_t, container_kvm_t, and from v1.31 also container_engine_t.",
        Remediation = "Remove seLinuxOptions.user and role, and leave type unset or set it to container_t.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission seLinuxOptions"],
        Examples =
        [
            new RuleExample("securityContext:\n  seLinuxOptions:\n    type: spc_t\ncontainers:\n- name: app", true),
            new RuleExample("securityContext:\n  seLinuxOptions:\n    level: s0:c123,c456\ncontainers:\n- name: app", false, "a level only"),
        ],
    };

    private PodSecurityViolation? Evaluate(PodSpecView pod, HashSet<string> allowedTypes)
    {
        List<string>? types = null;
        var setUser = false;
        var setRole = false;
        var where = default(Offenders);
        var podBad = false;
        var podOptions = PodFields.Get(PodFields.Get(pod.Spec, "securityContext"), "seLinuxOptions");
        if (podOptions is not null && !Valid(podOptions))
        {
            podBad = true;
            where.Mark(pod.SpecPath + ".securityContext.seLinuxOptions", podOptions);
        }

        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var options = PodFields.Get(container.SecurityContext, "seLinuxOptions");
            if (options is not null && !Valid(options))
            {
                bad.Add(pod, container, ".securityContext.seLinuxOptions", options);
            }
        }

        if (!podBad && !bad.Any)
        {
            return null;
        }

        var setters = new List<string>(2);
        if (podBad)
        {
            setters.Add("pod");
        }

        if (bad.Any)
        {
            setters.Add($"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)}");
            where.Mark(bad.Path!, bad.Node);
        }

        var data = new List<string>(3);
        if (types is not null)
        {
            SortedSet(types);
            data.Add($"{Pluralize("type", "types", types.Count)} {JoinQuote(types)}");
        }

        if (setUser)
        {
            data.Add("user may not be set");
        }

        if (setRole)
        {
            data.Add("role may not be set");
        }

        return new(this, "seLinuxOptions", $"{string.Join(" and ", setters)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", data)}", pod, where.Path!, where.Node);

        bool Valid(YamlNode options)
        {
            var valid = true;
            var type = PodFields.Text(options, "type") ?? string.Empty;
            if (!allowedTypes.Contains(type))
            {
                valid = false;
                (types ??= []).Add(type);
            }

            if (!string.IsNullOrEmpty(PodFields.Text(options, "user")))
            {
                valid = false;
                setUser = true;
            }

            if (!string.IsNullOrEmpty(PodFields.Text(options, "role")))
            {
                valid = false;
                setRole = true;
            }

            return valid;
        }
    }
}
