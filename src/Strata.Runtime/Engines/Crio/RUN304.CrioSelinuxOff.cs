namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioSelinuxOff : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-304",
        Title = "CRI-O does not label containers for SELinux",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "selinux is false (the default): on an SELinux host containers get no container_t label and no MCS categories. On AppArmor hosts this does not matter (see RUN-303).",
        Remediation = "On SELinux hosts set selinux = true under [crio.runtime].",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Examples =
        [
            new RuleExample("[crio.runtime]\nselinux = false\n", true),
            new RuleExample("[crio.runtime]\nselinux = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("crio", "runtime", "selinux") != true)
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "selinux"), "selinux is not true: no SELinux labels for containers.");
        }
    }
}
