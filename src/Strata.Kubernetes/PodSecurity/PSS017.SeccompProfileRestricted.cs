namespace Strata.Kubernetes.PodSecurity;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class SeccompProfileRestricted : PodSecurityCheck
{
    public SeccompProfileRestricted() => Versions =
    [
        new(19, Evaluate1_19) { Overrides = ["seccompProfile_baseline"] },
        new(25, Evaluate1_25) { Overrides = ["seccompProfile_baseline"], ExemptsWindows = true },
    ];

    public override string UpstreamId => "seccompProfile_restricted";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-017",
        Title = "No seccomp profile",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Without a seccomp profile the kubelet runs containers Unconfined: every system call is open to them, the kernel's whole attack surface. Pod Security Standards: from v1.19 the restricted level requires RuntimeDefault or Localhost on the pod, or on every container; from v1.25 Windows pods are exempt. Before v1.19 the restricted level checks only what baseline checks (PSS-009).",
        Remediation = "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted", "https://kubernetes.io/docs/tutorials/security/seccomp/"],
        Equivalents = ["pod-security-admission seccompProfile_restricted", "kubescape C-0210"],
        Examples =
        [
            new RuleExample("containers:\n- name: app", true, "not set"),
            new RuleExample("securityContext:\n  seccompProfile:\n    type: RuntimeDefault\ncontainers:\n- name: app", false),
        ],
    };

    public override bool AppliesTo(PodSpecView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = PodFields.IsWindows(subject) ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has no seccomp" : null;
        return reason is null;
    }

    private PodSecurityViolation? Evaluate1_25(PodSpecView pod) => PodFields.IsWindows(pod) ? null : Evaluate1_19(pod);

    private PodSecurityViolation? Evaluate1_19(PodSpecView pod)
    {
        List<string>? setters = null;
        List<string>? values = null;
        var where = default(Offenders);
        var podSet = false;
        var podProfile = PodFields.Get(PodFields.Get(pod.Spec, "securityContext"), "seccompProfile");
        if (podProfile is not null)
        {
            var podType = PodFields.Text(podProfile, "type");
            if (!SeccompProfileBaseline.ValidType(podType))
            {
                (setters ??= []).Add("pod");
                (values ??= []).Add(podType ?? string.Empty);
                where.Mark(pod.SpecPath + ".securityContext.seccompProfile.type", PodFields.Get(podProfile, "type") ?? podProfile);
            }
            else
            {
                podSet = true;
            }
        }

        var explicitly = default(Offenders);
        var implicitly = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            var profile = PodFields.Get(securityContext, "seccompProfile");
            if (profile is not null)
            {
                var type = PodFields.Text(profile, "type");
                if (!SeccompProfileBaseline.ValidType(type))
                {
                    explicitly.Add(pod, container, ".securityContext.seccompProfile.type", PodFields.Get(profile, "type") ?? profile);
                    (values ??= []).Add(type ?? string.Empty);
                }
            }
            else if (!podSet)
            {
                implicitly.Add(pod, container, ".securityContext.seccompProfile", securityContext);
            }
        }

        if (values is not null)
        {
            if (explicitly.Any)
            {
                (setters ??= []).Add($"{Pluralize("container", "containers", explicitly.Count)} {JoinQuote(explicitly.Names!)}");
                where.Mark(explicitly.Path!, explicitly.Node);
            }

            return new(this, "seccompProfile", $"{string.Join(" and ", setters!)} must not set securityContext.seccompProfile.type to {JoinQuote(SortedSet(values))}", pod, where.Path!, where.Node);
        }

        return implicitly.Any
            ? new(this, "seccompProfile", $"pod or {Pluralize("container", "containers", implicitly.Count)} {JoinQuote(implicitly.Names!)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"", pod, implicitly.Path!, implicitly.Node)
            : null;
    }
}
