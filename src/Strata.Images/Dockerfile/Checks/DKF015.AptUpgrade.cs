namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get upgrade / dist-upgrade / full-upgrade in a RUN.</summary>
public sealed class AptUpgrade : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-015",
        Title = "Distribution upgrade in a RUN",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apt-get dist-upgrade` (and `full-upgrade`) may add and remove packages and pull in a different set than the base image was tested with; the result depends on the day of the build and doubles the size of every upgraded package in a new layer. A plain `upgrade` only applies fixes and is reported for information: the better fix is a fresher base image.",
        Remediation = "Rebuild on an updated, pinned base image instead (`FROM debian:12.7-slim@sha256:…`, kept current by Renovate/Dependabot). If packages must be patched in place, upgrade only the named packages: `apt-get install --only-upgrade <pkg>`.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Dockle DKL-DI-0003", "Hadolint DL3005 (retired)"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get dist-upgrade -y && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*", true, "reported as INFO"),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl && rm -rf /var/lib/apt/lists/*", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            var upgrade = script.Running("apt-get", "apt").FirstOrDefault(c => AptCommands.Subcommand(c) is "upgrade" or "dist-upgrade" or "full-upgrade");
            if (upgrade is not null)
            {
                var sub = AptCommands.Subcommand(upgrade);
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, $"{upgrade.Program} {sub} changes the base image's packages at build time.", sub == "upgrade" ? Severity.Info : null);
            }
        }
    }
}
