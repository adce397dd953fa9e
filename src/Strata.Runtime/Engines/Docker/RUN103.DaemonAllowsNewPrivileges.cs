namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class DaemonAllowsNewPrivileges : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-103",
        Title = "Docker does not set no-new-privileges for every container",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without \"no-new-privileges\": true, containers started without --security-opt no-new-privileges may gain privileges through setuid binaries and file capabilities in their image.",
        Remediation = "Set \"no-new-privileges\": true in daemon.json; a container that really needs setuid can still opt out.",
        References = ["https://docs.docker.com/reference/cli/dockerd/#daemon-configuration-file", "https://docs.kernel.org/userspace-api/no_new_privs.html"],
        Equivalents = ["docker-bench-security 2.14"],
        Examples =
        [
            new RuleExample("""{"icc": false}""", true, "not set"),
            new RuleExample("""{"no-new-privileges": true}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Bool("no-new-privileges") != true)
        {
            yield return Finding.For(Rule, context.Target, subject.At("no-new-privileges"), "no-new-privileges is not true.");
        }
    }
}
