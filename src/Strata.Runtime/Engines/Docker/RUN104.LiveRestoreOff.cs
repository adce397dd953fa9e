namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class LiveRestoreOff : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-104",
        Title = "Docker stops every container when the daemon stops",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without \"live-restore\": true, restarting dockerd (to upgrade it or apply a security fix) stops all containers, so patching the engine means downtime and tends to be postponed.",
        Remediation = "Set \"live-restore\": true (not available in swarm mode).",
        References = ["https://docs.docker.com/engine/daemon/live-restore/"],
        Equivalents = ["docker-bench-security 2.15"],
        Examples =
        [
            new RuleExample("""{"icc": false}""", true, "not set"),
            new RuleExample("""{"live-restore": true}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("live-restore") != true)
        {
            yield return Finding.For(Rule, context.Target, subject.At("live-restore"), "live-restore is not true.");
        }
    }
}
