namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioAppArmorUnconfined : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-303",
        Title = "CRI-O's default AppArmor profile is unconfined",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "apparmor_profile is the profile of every container whose pod names none; \"unconfined\" leaves them without AppArmor's deny rules (writes to /proc/sys, mount, raw device access). CRI-O's default is crio-default.",
        Remediation = "Remove apparmor_profile (crio-default applies) or name a profile loaded on the host.",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Examples =
        [
            new RuleExample("[crio.runtime]\napparmor_profile = \"unconfined\"\n", true),
            new RuleExample("[crio.runtime]\napparmor_profile = \"crio-default\"\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(subject.Text("crio", "runtime", "apparmor_profile")?.Trim(), "unconfined", StringComparison.OrdinalIgnoreCase))
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "apparmor_profile"), "apparmor_profile is unconfined.");
        }
    }
}
