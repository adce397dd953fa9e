namespace Strata.Kubernetes.PodSecurity;

using System.Diagnostics.CodeAnalysis;
using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class AllowPrivilegeEscalation : PodSecurityCheck
{
    public override string UpstreamId => "allowPrivilegeEscalation";

    public override Version MinimumVersion { get; } = new(1, 8);

    public override PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-003",
        Title = "Privilege escalation not disallowed",
        Severity = Severity.Medium,
        Layer = StackLayer.Orchestrator,
        Explanation = "Unless allowPrivilegeEscalation is false, the container runs without no_new_privs and a process can gain privileges through setuid binaries or file capabilities. Pod Security Standards: must be false at the restricted level.",
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
        reason = subject.IsWindows ? $"{subject.ObjectName} runs on Windows (spec.os.name), which has no privilege escalation control" : null;
        return reason is null;
    }

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            var securityContext = YamlSource.Child(container, "securityContext");
            if (YamlSource.Boolean(securityContext, "allowPrivilegeEscalation") != false)
            {
                var node = YamlSource.Child(securityContext, "allowPrivilegeEscalation") ?? securityContext ?? container;
                yield return Finding.For(Rule, context.Target, subject.At(path + ".securityContext.allowPrivilegeEscalation", node), $"Container {name} of {subject.ObjectName} does not set allowPrivilegeEscalation: false.");
            }
        }
    }
}
