namespace Strata.Kubernetes.PodSecurity;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Findings;
using Strata.Core.Rules;
using YamlDotNet.RepresentationModel;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class CapabilitiesRestricted : PodSecurityCheck
{
    public CapabilitiesRestricted() => Versions =
    [
        new(22, Evaluate1_22) { Overrides = ["capabilities_baseline"] },
        new(25, Evaluate1_25) { Overrides = ["capabilities_baseline"], ExemptsWindows = true },
    ];

    public override string UpstreamId => "capabilities_restricted";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-015",
        Title = "Capabilities not dropped",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Containers start with the runtime's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW…), each a step toward escalation. Pod Security Standards: from v1.22 the restricted level requires every container to drop ALL and to add nothing but NET_BIND_SERVICE; from v1.25 Windows pods are exempt. Before v1.22 the restricted level checks only what baseline checks (PSS-007).",
        Remediation = "Set securityContext.capabilities.drop: [\"ALL\"] on every container, and add back only NET_BIND_SERVICE if the process binds a port below 1024.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission capabilities_restricted", "kubescape C-0086"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  securityContext:\n    capabilities:\n      add: [SYS_ADMIN]", true),
            new RuleExample("containers:\n- name: app\n  securityContext:\n    capabilities:\n      drop: [ALL]\n      add: [NET_BIND_SERVICE]", false),
        ],
    };

    public override bool AppliesTo(PodSpecView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = PodFields.IsWindows(subject) ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has no Linux capabilities" : null;
        return reason is null;
    }

    private PodSecurityViolation? Evaluate1_25(PodSpecView pod) => PodFields.IsWindows(pod) ? null : Evaluate1_22(pod);

    private PodSecurityViolation? Evaluate1_22(PodSpecView pod)
    {
        var missingDrop = default(Offenders);
        var adding = default(Offenders);
        List<string>? added = null;
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            var capabilities = PodFields.Get(securityContext, "capabilities");
            if (capabilities is null)
            {
                missingDrop.Add(pod, container, ".securityContext.capabilities.drop", securityContext);
                continue;
            }

            var drop = PodFields.Items(capabilities, "drop");
            var droppedAll = false;
            for (var i = 0; i < drop.Count && !droppedAll; i++)
            {
                droppedAll = drop[i] is YamlScalarNode { Value: "ALL" };
            }

            if (!droppedAll)
            {
                missingDrop.Add(pod, container, ".securityContext.capabilities.drop", PodFields.Get(capabilities, "drop") ?? capabilities);
            }

            var add = PodFields.Items(capabilities, "add");
            var forbidden = false;
            for (var i = 0; i < add.Count; i++)
            {
                var name = add[i] is YamlScalarNode { Value: { } value } ? value : string.Empty;
                if (name != "NET_BIND_SERVICE")
                {
                    forbidden = true;
                    (added ??= []).Add(name);
                }
            }

            if (forbidden)
            {
                adding.Add(pod, container, ".securityContext.capabilities.add", PodFields.Get(capabilities, "add"));
            }
        }

        if (!missingDrop.Any && !adding.Any)
        {
            return null;
        }

        var details = new List<string>(2);
        var where = default(Offenders);
        if (missingDrop.Any)
        {
            details.Add($"{Pluralize("container", "containers", missingDrop.Count)} {JoinQuote(missingDrop.Names!)} must set securityContext.capabilities.drop=[\"ALL\"]");
            where.Mark(missingDrop.Path!, missingDrop.Node);
        }

        if (adding.Any)
        {
            details.Add($"{Pluralize("container", "containers", adding.Count)} {JoinQuote(adding.Names!)} must not include {JoinQuote(SortedSet(added!))} in securityContext.capabilities.add");
            where.Mark(adding.Path!, adding.Node);
        }

        return new(this, "unrestricted capabilities", string.Join("; ", details), pod, where.Path!, where.Node);
    }
}
