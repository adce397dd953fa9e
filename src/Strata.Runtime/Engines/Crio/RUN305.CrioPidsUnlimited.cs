namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioPidsUnlimited : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-305",
        Title = "CRI-O sets no pids limit",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "pids_limit set to 0 or -1 leaves containers without a process limit: a fork bomb in one pod exhausts the node's PIDs. (pids_limit is deprecated in favour of the kubelet's podPidsLimit, which then must be set.)",
        Remediation = "Set the kubelet's podPidsLimit (e.g. 4096) and remove pids_limit, or set pids_limit to a positive number.",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md", "https://kubernetes.io/docs/concepts/policy/pid-limiting/"],
        Examples =
        [
            new RuleExample("[crio.runtime]\npids_limit = -1\n", true),
            new RuleExample("[crio.runtime]\npids_limit = 4096\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Number("crio", "runtime", "pids_limit") is <= 0)
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "pids_limit"), "pids_limit is not positive: no process limit unless the kubelet sets podPidsLimit.");
        }
    }
}
