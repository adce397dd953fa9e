namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get install without --no-install-recommends in a stage that ships.</summary>
public sealed class AptInstallRecommends : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-008",
        Title = "apt-get install pulls recommended packages",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "By default apt installs every 'Recommends' dependency too: often dozens of packages nobody asked for, each one more thing to patch, more vulnerabilities reported against the image and more tools for an intruder.",
        Remediation = "Add `--no-install-recommends` to `apt-get install` (or set `APT::Install-Recommends \"false\";` in /etc/apt/apt.conf.d/ in the same RUN) and list what you really need. Stages that do not ship (builders whose files are copied out selectively) are not reported.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Hadolint DL3015"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y build-essential\nFROM debian:12\nCOPY --from=build /out /app", false, "the build stage does not ship"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.ShippedStages))
        {
            var install = script.Running("apt-get", "apt").FirstOrDefault(c => AptCommands.Subcommand(c) == "install"
                && !c.HasOption("no-install-recommends")
                && !c.Arguments.Any(a => a.Contains("Install-Recommends=false", StringComparison.OrdinalIgnoreCase) || a.Contains("Install-Recommends=0", StringComparison.Ordinal)));
            if (install is not null && !script.Commands.Any(c => c.ToString().Contains("Install-Recommends", StringComparison.OrdinalIgnoreCase) && c.Index < install.Index))
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, $"{install.Program} install without --no-install-recommends.");
            }
        }
    }
}

/// <summary>Reading apt-get and apt command lines.</summary>
internal static class AptCommands
{
    /// <summary>The apt-get subcommand (install, update, upgrade …), skipping options and their values.</summary>
    public static string? Subcommand(ShellCommand command) => command.Subcommand("-o", "-t", "-c", "--option", "--target-release", "--config-file");
}
