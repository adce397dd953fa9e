namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioSeccompUnconfined : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-302",
        Title = "CRI-O runs pods without a seccomp profile unconfined",
        Severity = Severity.High,
        Layer = StackLayer.Runtime,
        Explanation = "seccomp_profile = \"unconfined\" removes the default filter, and seccomp_use_default_when_empty = false runs every pod that names no seccompProfile unconfined: all syscalls reach the host kernel. An empty seccomp_profile means CRI-O's built-in default profile.",
        Remediation = "Leave seccomp_profile empty or point it at a profile file, and keep seccomp_use_default_when_empty = true (or kubelet seccompDefault: true).",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Equivalents = ["kubescape C-0210 (seccomp profile RuntimeDefault)"],
        Examples =
        [
            new RuleExample("[crio.runtime]\nseccomp_profile = \"unconfined\"\n", true),
            new RuleExample("[crio.runtime]\nseccomp_use_default_when_empty = false\n", true),
            new RuleExample("[crio.runtime]\nseccomp_profile = \"\"\nseccomp_use_default_when_empty = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(subject.Text("crio", "runtime", "seccomp_profile")?.Trim(), "unconfined", StringComparison.OrdinalIgnoreCase))
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "seccomp_profile"), "seccomp_profile is unconfined.");
        }

        if (subject.Bool("crio", "runtime", "seccomp_use_default_when_empty") == false)
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "seccomp_use_default_when_empty"), "seccomp_use_default_when_empty is false: pods without a seccompProfile run unconfined.");
        }
    }
}
