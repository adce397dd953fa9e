namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get update whose package lists stay in the layer.</summary>
public sealed class AptListsNotCleaned : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-009",
        Title = "apt lists left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`apt-get update` downloads the package lists to /var/lib/apt/lists (tens of megabytes). Unless they are removed in the same RUN they stay in that layer for good: a later `rm` only hides them. They also go stale, so anyone running apt in the container later installs from outdated metadata.",
        Remediation = "Finish the RUN that runs `apt-get update` with `&& rm -rf /var/lib/apt/lists/*`, or use a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists …`.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Hadolint DL3009", "Dockle DKL-DI-0005"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.ShippedStages))
        {
            var update = script.Running("apt-get", "apt").FirstOrDefault(c => AptCommands.Subcommand(c) == "update");
            if (update is null || run.MountsOver("/var/lib/apt/lists/"))
            {
                continue;
            }

            var cleaned = script.Commands.Any(c => c.Index > update.Index && c.Program == "rm" && c.Arguments.Any(a => a.StartsWith("/var/lib/apt/lists", StringComparison.Ordinal)));
            if (!cleaned)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, $"{update.Program} update runs but /var/lib/apt/lists is not removed in the same RUN.");
            }
        }
    }
}
