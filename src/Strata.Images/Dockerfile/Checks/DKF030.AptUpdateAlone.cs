namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get update in a RUN of its own: its cached layer goes stale.</summary>
public sealed class AptUpdateAlone : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-030",
        Title = "Package index update in a RUN of its own",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "The builder caches each RUN by its text: a lone `RUN apt-get update` layer is reused for months, so a later `RUN apt-get install` works from an outdated index, misses security updates, or fails when the listed versions have left the mirror.",
        Remediation = "Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*` (the same for `apk update`, `yum makecache`, `dnf makecache`).",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Dockle CIS-DI-0007", "Checkov CKV_DOCKER_5"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl", true),
            new RuleExample("FROM alpine:3.20\nRUN apk update", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            var update = script.Commands.FirstOrDefault(IsIndexUpdate);
            if (update is not null && !script.Commands.Any(c => c != update && IsPackageChange(c)))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, $"{update.Program} {update.Subcommand()} runs alone; a later install uses this cached, aging index.");
            }
        }
    }

    private static bool IsIndexUpdate(ShellCommand command) => command.Program switch
    {
        "apt-get" or "apt" => AptCommands.Subcommand(command) == "update",
        "apk" => command.Subcommand() == "update",
        "yum" or "dnf" or "microdnf" => command.Subcommand() == "makecache",
        _ => false,
    };

    private static bool IsPackageChange(ShellCommand command) => command.Program switch
    {
        "apt-get" or "apt" or "aptitude" => AptCommands.Subcommand(command) is not ("update" or "clean" or null),
        "apk" => command.Subcommand() is "add" or "upgrade" or "fix",
        "yum" or "dnf" or "microdnf" => command.Subcommand() is not ("makecache" or "clean" or null),
        _ => command.Program is "dpkg" or "rpm" || command.Program.EndsWith(".sh", StringComparison.Ordinal),
    };
}
