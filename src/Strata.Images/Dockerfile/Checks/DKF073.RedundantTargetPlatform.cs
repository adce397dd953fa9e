namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>FROM --platform=$TARGETPLATFORM, which is what FROM does without the flag.</summary>
public sealed class RedundantTargetPlatform : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-073",
        Title = "FROM --platform=$TARGETPLATFORM is redundant",
        Severity = Severity.Info,
        Layer = StackLayer.Image,
        Explanation = "A stage is built for the target platform unless told otherwise, so `--platform=$TARGETPLATFORM` changes nothing; it suggests to a reader that the stage differs from the others when it does not.",
        Remediation = "Remove the flag. Keep `--platform=$BUILDPLATFORM` on stages that should run natively on the build machine (cross-compilation).",
        References = ["https://docs.docker.com/reference/dockerfile/#from", "https://docs.docker.com/build/building/variables/#multi-platform-build-arguments"],
        Equivalents = ["Hadolint DL3065"],
        Examples =
        [
            new RuleExample("FROM --platform=$TARGETPLATFORM debian:12", true),
            new RuleExample("FROM --platform=${TARGETPLATFORM} alpine:3.20 AS base", true),
            new RuleExample("FROM --platform=$BUILDPLATFORM golang:1.22 AS build", false),
            new RuleExample("FROM --platform=${TARGETPLATFORM:-linux/amd64} debian:12", false, "a default makes it do something"),
            new RuleExample("FROM debian:12", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            if (WrittenText.From(subject, stage).Flag("platform") is "$TARGETPLATFORM" or "${TARGETPLATFORM}")
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, stage.From, "FROM --platform=$TARGETPLATFORM is what FROM does without the flag.");
            }
        }
    }
}
