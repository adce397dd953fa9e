namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>COPY --from or RUN --mount from= naming a stage that does not exist (the builder then pulls an image of that name), a stage defined later, or the stage itself.</summary>
public sealed class UnknownStageReference : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-026",
        Title = "Reference to an unknown build stage",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "When `--from` names no stage of the Dockerfile, the builder treats it as an image reference and pulls it from Docker Hub: a typo such as `--from=biuld` copies files out of whatever image someone published under that name. A stage defined further down is the same trap: BuildKit builds it first, but the classic builder and other tools that resolve only earlier stages pull an image of that name, and a reader expects sources above their use. A stage that copies from itself (by name or number), or a stage number that does not exist, fails the build. A reference with a registry, path, tag or digest (`--from=gcr.io/distroless/static`) is an image and not judged here.",
        Remediation = "Use the exact name of an earlier stage (`FROM golang:1.22 AS build` … `COPY --from=build …`), moving the stage above its first use; when you mean an image, write a full reference with a tag and digest (`--from=docker.io/library/busybox:1.36@sha256:…`).",
        References = ["https://docs.docker.com/reference/dockerfile/#copy---from"],
        Equivalents = ["Hadolint DL3022", "Hadolint DL3023", "Trivy DS-0006"],
        Examples =
        [
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=biuld /app /app", true),
            new RuleExample("FROM golang:1.22 AS build\nCOPY --from=build /a /b", true, "a stage copying from itself"),
            new RuleExample("FROM golang:1.22\nFROM debian:12\nCOPY --from=3 /app /app", true, "there is no stage 3"),
            new RuleExample("FROM debian:12\nCOPY --from=build /app /app\nFROM golang:1.22 AS build\nRUN go build -o /app .", true, "the stage is defined later"),
            new RuleExample("FROM debian:12\nRUN --mount=from=tools,target=/t /t/setup\nFROM alpine:3.20 AS tools", true, "a mount from a later stage"),
            new RuleExample("FROM golang:1.22 AS build\nFROM debian:12\nCOPY --from=build /app /app\nCOPY --from=0 /etc/ssl/certs /etc/ssl/certs\nCOPY --from=busybox:1.36 /bin/busybox /bin/", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var instruction in stage.Instructions)
            {
                var references = instruction.Keyword == "COPY" && instruction.Flag("from") is { } from ? [from]
                    : instruction.Keyword == "RUN" ? instruction.Mounts.Select(m => m.GetValueOrDefault("from")).OfType<string>().ToList()
                    : [];
                foreach (var reference in references.Where(r => r.Length > 0 && !instruction.Unresolved))
                {
                    var problem = Problem(subject, stage, reference);
                    if (problem is not null)
                    {
                        yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, problem);
                    }
                }
            }
        }
    }

    private static string? Problem(DockerfileDocument dockerfile, DockerfileStage stage, string reference)
    {
        var found = dockerfile.FindStage(reference);
        if (found == stage)
        {
            return $"Stage {stage.Label} copies from itself (--from={reference}).";
        }

        if (found is not null && found.Index > stage.Index)
        {
            return $"--from={reference} names stage {found.Label}, defined later (line {found.From.StartLine}): builders that resolve only earlier stages pull an image of that name instead; move the stage above.";
        }

        if (found is not null)
        {
            return null;
        }

        if (reference.All(char.IsAsciiDigit))
        {
            return $"--from={reference}: there is no stage {reference} (stages are numbered from 0 to {dockerfile.Stages.Count - 1}).";
        }

        // Anything with a registry, path, tag or digest is meant as an image.
        return reference.IndexOfAny(['/', ':', '@', '.']) >= 0
            ? null
            : $"--from={reference} names no stage of this Dockerfile, so the builder pulls the image docker.io/library/{reference}:latest.";
    }
}
