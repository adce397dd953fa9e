namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class CrioWritableRoot : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-306",
        Title = "CRI-O gives containers a writable root filesystem by default",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "read_only is false (the default), so every container whose pod does not set readOnlyRootFilesystem can have its binaries modified and tools dropped into it.",
        Remediation = "Set read_only = true under [crio.runtime] where workloads allow it, or enforce readOnlyRootFilesystem per pod (admission policy).",
        References = ["https://github.com/cri-o/cri-o/blob/main/docs/crio.conf.5.md"],
        Equivalents = ["kubescape C-0017 (immutable container filesystem)"],
        Examples =
        [
            new RuleExample("[crio.runtime]\nread_only = false\n", true),
            new RuleExample("[crio.runtime]\nread_only = true\n", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("crio", "runtime", "read_only") != true)
        {
            yield return Finding.For(Rule, context.Target, subject.At("crio", "runtime", "read_only"), "read_only is not true.");
        }
    }
}
