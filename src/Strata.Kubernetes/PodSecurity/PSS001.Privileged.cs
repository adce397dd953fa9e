namespace Strata.Kubernetes.PodSecurity;

using Strata.Core.Checks;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class Privileged : PodSecurityCheck
{
    public override string UpstreamId => "privileged";

    public override Version MinimumVersion { get; } = new(1, 0);

    public override PodSecurityLevel Level => PodSecurityLevel.Baseline;

    public override Rule Rule { get; } = new()
    {
        Id = "PSS-001",
        Title = "Privileged container",
        Severity = Severity.Critical,
        Layer = StackLayer.Orchestrator,
        Explanation = "securityContext.privileged: true gives the container every capability, every device of the host, and no seccomp or AppArmor confinement. Escaping to the host is then a matter of mounting its disk or loading a module. Pod Security Standards: forbidden from the baseline level up.",
        Remediation = "Remove privileged: true; grant only the specific capabilities or devices the workload needs.",
        References = ["https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"],
        Equivalents = ["pod-security-admission privileged", "kubescape C-0057"],
        Examples =
        [
            new RuleExample("containers:\n- name: app\n  securityContext:\n    privileged: true", true),
            new RuleExample("containers:\n- name: app\n  securityContext:\n    privileged: false", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(PodSpecView subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (container, path, name) in subject.Containers())
        {
            var securityContext = YamlSource.Child(container, "securityContext");
            if (YamlSource.Boolean(securityContext, "privileged") == true)
            {
                yield return Finding.For(Rule, context.Target, subject.At(path + ".securityContext.privileged", YamlSource.Child(securityContext, "privileged")), $"Container {name} of {subject.ObjectName} is privileged.");
            }
        }
    }
}
