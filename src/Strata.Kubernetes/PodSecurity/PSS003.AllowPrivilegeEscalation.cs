namespace Strata.Kubernetes.PodSecurity;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Findings;
using Strata.Core.Rules;
using static Strata.Kubernetes.PodSecurity.PsaText;

public sealed class AllowPrivilegeEscalation : PodSecurityCheck
{
    public AllowPrivilegeEscalation() => Versions = [new(8, Evaluate1_8), new(25, Evaluate1_25) { ExemptsWindows = true }];

    public override string UpstreamId => "allowPrivilegeEscalation";

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override IReadOnlyList<PodSecurityCheckVersion> Versions { get; }

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-003",
        Title = "Privilege escalation not disallowed",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Unless allowPrivilegeEscalation is false, the container runs without no_new_privs and a process can gain privileges through setuid binaries or file capabilities. Pod Security Standards: must be false at the restricted level from v1.8 (when the field was added); from v1.25 Windows pods (spec.os.name: windows) are exempt.",
        Remediation = "Set securityContext.allowPrivilegeEscalation: false on every container.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"],
        Equivalents = ["pod-security-admission allowPrivilegeEscalation"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  image: nginx", true, "not set"),
            new RuleExample("containers:\n- name: app\n  securityContext:\n    allowPrivilegeEscalation: false", false),
            new RuleExample("os:\n  name: windows\ncontainers:\n- name: app", false, "a Windows pod: the check does not apply"),
        ],
    };

    public override bool AppliesTo(PodSpecView subject, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(subject);
        reason = PodFields.IsWindows(subject) ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has no privilege escalation control" : null;
        return reason is null;
    }

    private PodSecurityViolation? Evaluate1_8(PodSpecView pod)
    {
        var bad = default(Offenders);
        foreach (var container in PodFields.Containers(pod))
        {
            var securityContext = container.SecurityContext;
            if (PodFields.Bool(securityContext, "allowPrivilegeEscalation") != false)
            {
                bad.Add(pod, container, ".securityContext.allowPrivilegeEscalation", PodFields.Get(securityContext, "allowPrivilegeEscalation") ?? securityContext);
            }
        }

        return bad.Any
            ? new(this, "allowPrivilegeEscalation != false", $"{Pluralize("container", "containers", bad.Count)} {JoinQuote(bad.Names!)} must set securityContext.allowPrivilegeEscalation=false", pod, bad.Path!, bad.Node)
            : null;
    }

    private PodSecurityViolation? Evaluate1_25(PodSpecView pod) => PodFields.IsWindows(pod) ? null : Evaluate1_8(pod);
}
