namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class OomScoreAdjustUnrestricted : CriPluginCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-204",
        Title = "containerd lets containers set an OOM score below its own",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "With restrict_oom_score_adj false (the default), a container may ask for an oom_score_adj lower than containerd's, so under memory pressure the kernel kills the engine or the kubelet before the container that caused it. Rootless containerd needs it true.",
        Remediation = "Set restrict_oom_score_adj = true under the CRI runtime plugin.",
        References = ["https://github.com/containerd/containerd/blob/main/docs/cri/config.md", "https://man7.org/linux/man-pages/man5/proc_pid_oom_score_adj.5.html"],
        Examples =
        [
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  restrict_oom_score_adj = false\n", true),
            new RuleExample("version = 3\n[plugins.\"io.containerd.cri.v1.runtime\"]\n  restrict_oom_score_adj = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        var keys = Setting(subject, "restrict_oom_score_adj");
        if (subject.Bool(keys) != true)
        {
            yield return Report(subject, context, keys, "restrict_oom_score_adj is not true.");
        }
    }
}
