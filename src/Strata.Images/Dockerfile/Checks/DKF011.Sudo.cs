namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>sudo in a RUN.</summary>
public sealed class Sudo : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-011",
        Title = "sudo in a RUN",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "Builds run as whatever USER is current; sudo adds nothing but a setuid-root binary and a sudoers policy in the image, which an intruder can use to become root, and its TTY and signal handling behave badly in containers.",
        Remediation = "Switch users with USER around the steps that need root (`USER root` … `USER 10001`), and do not install sudo in the image. At run time, use gosu/setpriv in an entrypoint if a process must drop privileges.",
        References = ["https://docs.docker.com/build/building/best-practices/#user"],
        Equivalents = ["Hadolint DL3004", "Dockle DKL-DI-0001", "Checkov CKV2_DOCKER_1", "Trivy DS-0010"],
        Examples =
        [
            new RuleExample("FROM debian:12\nUSER app\nRUN sudo apt-get update", true),
            new RuleExample("FROM debian:12\nRUN make && sudo make install", true),
            new RuleExample("FROM debian:12\nUSER root\nRUN make install\nUSER 10001", false),
            new RuleExample("FROM debian:12\nRUN echo sudo is not used here", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            foreach (var sudo in script.Commands.Where(c => c.FirstProgram == "sudo"))
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, sudo, $"RUN uses sudo to run {sudo.Program}.");
            }
        }
    }
}
