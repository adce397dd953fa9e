namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>apt (the interactive front-end) in a RUN.</summary>
public sealed class AptInsteadOfAptGet : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-047",
        Title = "apt used instead of apt-get",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "`apt` is the interactive front-end: its output and behaviour may change between releases (it warns \"apt does not have a stable CLI interface. Use with caution in scripts\"), it shows progress bars meant for a terminal, and its defaults differ from apt-get's. A Dockerfile is a script: `apt-get` and `apt-cache` have a stable interface.",
        Remediation = "Replace `apt install`/`apt update` with `apt-get install`/`apt-get update` (and `apt search`/`apt show` with `apt-cache`).",
        References = ["https://manpages.debian.org/bookworm/apt/apt.8.en.html#SCRIPT_USAGE_AND_DIFFERENCES_FROM_OTHER_APT_TOOLS", "https://github.com/hadolint/hadolint/wiki/DL3027"],
        Equivalents = ["Hadolint DL3027", "Checkov CKV_DOCKER_9"],
        Examples =
        [
            new RuleExample("FROM ubuntu:24.04\nRUN apt install -y python3", true),
            new RuleExample("FROM ubuntu:24.04\nRUN apt update && apt-get install -y python3", true),
            new RuleExample("FROM ubuntu:24.04\nRUN /usr/bin/apt list --installed", true),
            new RuleExample("FROM ubuntu:24.04\nRUN apt-get install -y python3", false),
            new RuleExample("FROM ubuntu:24.04\nRUN apt-cache policy python3", false),
            new RuleExample("FROM ubuntu:24.04\nRUN xx-apt install -y gcc", false, "a wrapper"),
            new RuleExample("FROM ubuntu:24.04\nRUN echo apt install", false, "only mentioned"),
            new RuleExample("FROM ubuntu:24.04\nONBUILD RUN apt install -y python3", true),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (script.Running("apt").FirstOrDefault() is { } apt)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, apt, "apt is the interactive front-end, its command line is not stable for scripts; use apt-get or apt-cache.");
            }
        }
    }
}
