namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt-get install without -y.</summary>
public sealed class AptInstallWithoutYes : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-024",
        Title = "apt-get install without -y",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without -y, apt-get asks for confirmation whenever it installs more than the named packages; with no terminal the answer is 'no' and the build fails, or, worse, a later change of dependencies breaks a build that used to pass.",
        Remediation = "Use `apt-get install -y --no-install-recommends …` (or `-qq`, which implies -y).",
        References = ["https://docs.docker.com/build/building/best-practices/#apt-get"],
        Equivalents = ["Hadolint DL3014"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", true),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -qy --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
            new RuleExample("FROM debian:12\nRUN apt-get update && apt-get --assume-yes install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            var install = script.Running("apt-get").FirstOrDefault(c => AptCommands.Subcommand(c) == "install"
                && !c.HasOption("yes", 'y', "otc")
                && !c.HasOption("assume-yes")
                && !c.Arguments.Any(a => a is "-qq" or "-q=2" || a.Contains("Assume-Yes=true", StringComparison.OrdinalIgnoreCase))
                && !(c.PipelinePosition > 0 && script.Commands.Any(p => p.Pipeline == c.Pipeline && p.Program == "yes")));
            if (install is not null)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, install, "apt-get install without -y fails (or changes behaviour) when it needs confirmation.");
            }
        }
    }
}
