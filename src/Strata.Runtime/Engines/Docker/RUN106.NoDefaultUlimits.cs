namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoDefaultUlimits : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-106",
        Title = "Docker sets no default ulimits",
        Severity = Severity.Low,
        Layer = StackLayer.Runtime,
        Explanation = "Without \"default-ulimits\", containers inherit the daemon's limits (often very high nofile and unlimited nproc): one container can exhaust file descriptors or processes for the whole host.",
        Remediation = "Set \"default-ulimits\", e.g. {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 65536, \"Hard\": 65536}, \"nproc\": {\"Name\": \"nproc\", \"Soft\": 4096, \"Hard\": 8192}}, and a --pids-limit per container.",
        References = ["https://docs.docker.com/reference/cli/dockerd/#default-ulimit-settings"],
        Equivalents = ["docker-bench-security 2.8"],
        Examples =
        [
            new RuleExample("""{"icc": false}""", true),
            new RuleExample("""{"default-ulimits": {"nofile": {"Name": "nofile", "Soft": 65536, "Hard": 65536}}}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (subject.Table("default-ulimits") is not { Count: > 0 })
        {
            yield return Finding.For(Rule, context.Target, subject.At("default-ulimits"), "default-ulimits is not set.");
        }
    }
}
