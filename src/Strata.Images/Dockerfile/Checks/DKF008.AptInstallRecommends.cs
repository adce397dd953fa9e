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
        Explanation = "By default apt installs every 'Recommends' dependency too: often dozens of packages nobody asked for, each one more thing to patch, more vulnerabilities reported against the image and more tools for an intruder. `apt`, `apt-get` and `aptitude` all do this; wrappers such as `xx-apt-get` or `install_packages` choose their own options and are not reported.",
        Remediation = "Add `--no-install-recommends` to `apt-get install` (`--without-recommends` or `-R` for aptitude), pass `-o APT::Install-Recommends=false`, or write `APT::Install-Recommends \"false\";` to /etc/apt/apt.conf.d/ earlier in the same RUN, and list what you really need. Stages that do not ship (builders whose files are copied out selectively) are not reported; hadolint (DL3015) reports them too.",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Hadolint DL3015", "Trivy DS-0029"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get -y install python3", true, "options before the subcommand"),
            new RuleExample("FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y python3", false, "the option, as a value of -o"),
            new RuleExample("FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/norecs && apt-get install -y python3", false, "configured earlier in the same RUN"),
            new RuleExample("FROM debian:12\nRUN apt install -y python3", true, "apt installs recommends too"),
            new RuleExample("FROM debian:12\nRUN aptitude install -y python3", true),
            new RuleExample("FROM debian:12\nRUN aptitude install -y --without-recommends python3", false),
            new RuleExample("FROM debian:12\nRUN xx-apt-get install -y gcc", false, "a cross-compilation wrapper is not apt-get"),
            new RuleExample("FROM debian:12\nONBUILD RUN apt-get install -y python3", true, "an ONBUILD trigger runs in every child image"),
            new RuleExample("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y build-essential\nFROM debian:12\nCOPY --from=build /out /app", false, "the build stage does not ship"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in PackageRuns.ShippedAndTriggers(subject))
        {
            var install = PackageManagers.In(script, PackageManagers.Apt).FirstOrDefault(l => l.Verb == "install" && !RecommendsDisabled(script, l));
            if (install is not null)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, install.Command, $"{install.Program} install without --no-install-recommends also installs every recommended package.");
            }
        }
    }

    private static bool RecommendsDisabled(ShellScript script, PackageCommandLine install) =>
        install.HasAnyOption(["no-install-recommends", "without-recommends", "R"])
        || install.Options.Any(o => o.Contains("Install-Recommends=false", StringComparison.OrdinalIgnoreCase) || o.Contains("Install-Recommends=0", StringComparison.Ordinal))
        || script.Commands.Any(c => c.Index < install.Command.Index && c.ToString().Contains("Install-Recommends", StringComparison.OrdinalIgnoreCase));
}
