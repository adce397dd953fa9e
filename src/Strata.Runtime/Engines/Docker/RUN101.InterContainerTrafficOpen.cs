namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class InterContainerTrafficOpen : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-101",
        Title = "Docker lets containers on the default bridge talk to each other",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "With \"icc\" not false (the default is true), every container on the default docker0 bridge reaches every port of every other one: a compromised container can probe and attack its neighbours without any link or network being declared.",
        Remediation = "Set \"icc\": false in /etc/docker/daemon.json and connect the containers that must talk through user-defined networks.",
        References = ["https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file", "https://docs.docker.com/engine/network/drivers/bridge/"],
        Equivalents = ["docker-bench-security 2.2"],
        Examples =
        [
            new RuleExample("""{"log-level": "info"}""", true, "icc defaults to true"),
            new RuleExample("""{"icc": true}""", true),
            new RuleExample("""{"icc": false}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("icc") != false)
        {
            yield return Finding.For(Rule, context.Target, subject.At("icc"), "icc is not false: containers on the default bridge reach each other.");
        }
    }
}
