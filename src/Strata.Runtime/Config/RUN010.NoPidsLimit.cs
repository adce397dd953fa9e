namespace Strata.Runtime.Config;

using System.Text.Json;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoPidsLimit : Check<RuntimeConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-010",
        Title = "No limit on the number of processes",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "linux.resources.pids.limit is absent or not positive: a fork bomb or a leak of threads in the container exhausts the host's PIDs and stops every other workload from starting processes.",
        Remediation = "Set linux.resources.pids.limit (`--pids-limit 4096`, the kubelet's podPidsLimit).",
        References = ["https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#pids", "https://kubernetes.io/docs/concepts/policy/pid-limiting/"],
        Equivalents = ["docker-bench-security 5.29"],
        Examples =
        [
            new RuleExample("""{"linux": {"resources": {"memory": {"limit": 536870912}}}}""", true),
            new RuleExample("""{"linux": {"resources": {"pids": {"limit": -1}}}}""", true, "-1: unlimited"),
            new RuleExample("""{"linux": {"resources": {"pids": {"limit": 4096}}}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(RuntimeConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var limit = subject.Get("linux.resources.pids.limit");
        if (limit is { } value && value.ValueKind != JsonValueKind.Number)
        {
            throw subject.WrongType("$.linux.resources.pids.limit", "a number", value.ValueKind);
        }

        if (limit is null || !limit.Value.TryGetInt64(out var pids) || pids <= 0)
        {
            yield return Finding.For(Rule, context.Target, subject.At("linux.resources.pids.limit"), limit is null ? "linux.resources.pids.limit is not set." : "linux.resources.pids.limit is not positive.");
        }
    }
}
