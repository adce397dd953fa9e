namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>cd in a RUN where WORKDIR says it better.</summary>
public sealed class CdInRun : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-016",
        Title = "cd in RUN instead of WORKDIR",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "A `cd` lasts only until the end of its RUN, so later instructions silently run somewhere else; chains of `cd` make the build hard to read and easy to break.",
        Remediation = "Set the directory with WORKDIR (absolute path) before the RUN, or use the tool's own directory option (`make -C dir`, `git -C dir`, `tar -C dir`).",
        References = ["https://docs.docker.com/build/building/best-practices/#workdir"],
        Equivalents = ["Hadolint DL3003", "Trivy DS-0013"],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN cd /src && make", true),
            new RuleExample("FROM debian:12\nRUN make -C /src && cd /tmp && rm -rf build", true),
            new RuleExample("FROM debian:12\nWORKDIR /src\nRUN make", false),
            new RuleExample("FROM debian:12\nRUN echo cd is a word here", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        // RUNs only, as hadolint: an ONBUILD RUN has no WORKDIR of its own to switch to (an ONBUILD WORKDIR would change the child's).
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages).Where(r => r.Stage.Instructions.Contains(r.Run)))
        {
            var cd = script.Commands.FirstOrDefault(c => c.Program == "cd");
            if (cd is not null)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, cd, $"RUN changes directory with `{cd}`; use WORKDIR.");
            }
        }
    }
}
