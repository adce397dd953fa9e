namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class AllowPrivilegeEscalation : IPodSecurityCheck
{
    public string UpstreamId => "allowPrivilegeEscalation";

    public Version MinimumVersion { get; } = new(1, 8);

    public PodSecurityLevel Level => PodSecurityLevel.Restricted;

    public Rule Rule { get; } = new()
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
        ],
    };

    public IEnumerable<Finding> Evaluate(PodSpecView pod, string target)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.IsWindows)
        {
            yield break;
        }

        foreach (var (container, path, name) in pod.Containers())
        {
            var context = YamlSource.Child(container, "securityContext");
            if (YamlSource.Boolean(context, "allowPrivilegeEscalation") != false)
            {
                var node = YamlSource.Child(context, "allowPrivilegeEscalation") ?? context ?? container;
                yield return Finding.For(Rule, target, pod.At(path + ".securityContext.allowPrivilegeEscalation", node), $"Container {name} of {pod.ObjectName} does not set allowPrivilegeEscalation: false.");
            }
        }
    }
}
