namespace Strata.Runtime.Engines;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

public sealed class NoUserNamespaceRemap : Check<EngineConfig>
{
    public override Rule Rule { get; } = new()
    {
        Id = "RUN-102",
        Title = "Docker does not remap container root to an unprivileged user",
        Severity = Severity.Medium,
        Layer = StackLayer.Runtime,
        Explanation = "Without \"userns-remap\", uid 0 in a container is uid 0 on the host: a container escape, a writable host mount or a leaked file descriptor acts with the host's root identity.",
        Remediation = "Set \"userns-remap\": \"default\" (or a dedicated user with /etc/subuid and /etc/subgid ranges), or run the daemon rootless.",
        References = ["https://docs.docker.com/engine/security/userns-remap/"],
        Equivalents = ["docker-bench-security 2.9"],
        Examples =
        [
            new RuleExample("""{"icc": false}""", true, "not set"),
            new RuleExample("""{"userns-remap": ""}""", true),
            new RuleExample("""{"userns-remap": "default"}""", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(EngineConfig subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(subject.Text("userns-remap")))
        {
            yield return Finding.For(Rule, context.Target, subject.At("userns-remap"), "userns-remap is not set: container root is host root.");
        }
    }
}
