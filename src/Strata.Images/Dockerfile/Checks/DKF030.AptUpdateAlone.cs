namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A package index update in a RUN of its own: its cached layer goes stale.</summary>
public sealed class AptUpdateAlone : Check<DockerfileDocument>
{
    private static readonly PackageManager[] Managers = [.. PackageManagers.All.Where(m => m.IndexUpdates.Count > 0)];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-030",
        Title = "Package index update in a RUN of its own",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "The builder caches each RUN by its text: a lone `RUN apt-get update` layer is reused for months, so a later `RUN apt-get install` works from an outdated index, misses security updates, or fails when the listed versions have left the mirror. The same holds for `apk update`, `yum`/`dnf makecache` and `zypper refresh`. Wrappers that install through the package manager (`xx-apt-get install`, `install_packages`, a script) count as using the index.",
        Remediation = "Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*` (the same for `apk update`, `yum makecache`, `dnf makecache`, `zypper refresh`).",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Dockle CIS-DI-0007", "Checkov CKV_DOCKER_5", "Trivy DS-0017"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl", true),
            new RuleExample("FROM alpine:3.20\nRUN apk update", true),
            new RuleExample("FROM opensuse/leap:15.6\nRUN zypper --non-interactive refresh", true),
            new RuleExample("FROM fedora:40\nRUN dnf makecache", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get update && xx-apt-get install -y --no-install-recommends gcc", false, "the wrapper installs with the fresh index"),
            new RuleExample("FROM debian:12\nRUN apt-get update && ./install-deps.sh", false, "a script may install"),
            new RuleExample("FROM debian:12\nRUN xx-apt-get update", false, "a wrapper's own update is not apt-get's"),
            new RuleExample("FROM debian:12\nONBUILD RUN apt-get update", true),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            var lines = PackageManagers.In(script, Managers).ToList();
            var update = lines.FirstOrDefault(l => l.Manager.IndexUpdates.Contains(l.Verb));
            if (update is not null && !script.Commands.Any(c => !ReferenceEquals(c, update.Command) && ChangesPackages(c, lines)))
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, update.Command, $"{update.Program} {update.Verb} runs alone; a later install uses this cached, aging index.");
            }
        }
    }

    private static bool ChangesPackages(ShellCommand command, List<PackageCommandLine> lines)
    {
        if (lines.FirstOrDefault(l => ReferenceEquals(l.Command, command)) is { } line)
        {
            return line.Verb.Length > 0 && !line.Manager.IndexUpdates.Contains(line.Verb) && !line.Cleans && line.Verb is not ("clean" or "cache" or "search" or "show" or "info" or "list" or "policy");
        }

        return command.Program is "dpkg" or "rpm"
            || PackageManagers.All.Any(m => m.Wrappers.Contains(command.Program))
            || command.Program.EndsWith(".sh", StringComparison.Ordinal);
    }
}
