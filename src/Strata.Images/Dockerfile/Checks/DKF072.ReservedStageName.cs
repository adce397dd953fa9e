namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>A stage named scratch or context, words the builder gives another meaning.</summary>
public sealed class ReservedStageName : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-072",
        Title = "Stage named with a reserved word",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`scratch` is the empty image and `context` names the build context in `--from` and bind mounts; a stage with one of these names makes `FROM scratch` or `COPY --from=context` ambiguous, and builders resolve it differently (BuildKit refuses some, older builders silently pick the stage).",
        Remediation = "Give the stage another name: `FROM alpine:3.20 AS base` rather than `AS scratch`.",
        References = ["https://docs.docker.com/reference/dockerfile/#from", "https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch"],
        Equivalents = ["Hadolint DL3063"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20 AS scratch", true),
            new RuleExample("FROM debian:12 AS Context", true, "stage names ignore case"),
            new RuleExample("FROM alpine:3.20 AS base\nFROM scratch\nCOPY --from=base /etc/ssl /etc/ssl", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages.Where(s => s.Name is "scratch" or "context"))
        {
            yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, $"The stage name {stage.Name} is a reserved word; choose another.");
        }
    }
}
