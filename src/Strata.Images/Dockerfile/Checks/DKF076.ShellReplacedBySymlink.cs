namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>ln replacing /bin/sh to change the shell of later RUNs.</summary>
public sealed class ShellReplacedBySymlink : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-076",
        Title = "/bin/sh replaced with a symlink instead of SHELL",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Pointing /bin/sh at bash (`ln -sf /bin/bash /bin/sh`) changes the shell of every later RUN without the Dockerfile saying so, and also of every script and program in the image that runs /bin/sh, including the distribution's maintainer scripts that expect dash or ash; a package upgrade can silently undo it. Reported when /bin/sh (or /usr/bin/sh) is the link ln creates, not when it is only the target.",
        Remediation = "Choose the shell of later RUNs with SHELL: `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`, and leave /bin/sh alone.",
        References = ["https://docs.docker.com/reference/dockerfile/#shell"],
        Equivalents = ["Hadolint DL4005"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN ln -sf /bin/bash /bin/sh", true),
            new RuleExample("FROM ubuntu:24.04\nRUN rm /bin/sh && ln -s bash /bin/sh", true),
            new RuleExample("FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]", false),
            new RuleExample("FROM debian:12\nRUN ln -sf /bin/true /sbin/initctl && ln -s /bin/sh /usr/local/bin/posix-sh", false, "/bin/sh is the target, not the link"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var ln in script.Running("ln"))
            {
                var operands = CommandFlags.Operands(ln, "-S", "--suffix", "-t", "--target-directory").ToList();
                if (operands.Count >= 2 && operands[^1] is "/bin/sh" or "/usr/bin/sh")
                {
                    yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, ln, $"ln replaces {operands[^1]} with {operands[0]}; set the shell of RUN with SHELL instead.");
                }
            }
        }
    }
}
