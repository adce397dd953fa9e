namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The final stage sets no USER (nor do the stages it is built FROM): the image runs as its base image's user.</summary>
public sealed class NoUser : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-077",
        Title = "Image sets no USER",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without a USER, the container runs as whatever user the base image sets, which for almost every distribution and language image is root; this Dockerfile does not say, so a reader cannot tell without inspecting the base image, and a base image update can change it. Built FROM scratch, no USER means UID 0 for sure (Medium). When the entrypoint drops privileges (gosu, su-exec, setpriv …) the finding is information. Base images named as non-root (a `nonroot` or `rootless` tag or name, as distroless publishes) are not reported.",
        Remediation = "Set the user explicitly at the end of the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`, or `USER 65532` on distroless-style bases.",
        References = ["https://docs.docker.com/reference/dockerfile/#user", "https://docs.docker.com/build/building/best-practices/#user"],
        Equivalents = ["Dockle CIS-DI-0001", "Checkov CKV_DOCKER_3", "Trivy DS-0002"],
        Examples =
        [
            new RuleExample("FROM debian:12\nCOPY app /app", true),
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app", true, "Medium: FROM scratch without USER is UID 0"),
            new RuleExample("FROM debian:12\nUSER 10001", false),
            new RuleExample("FROM debian:12 AS base\nUSER 10001\nFROM base\nCOPY app /app", false, "inherited from the stage it is built FROM"),
            new RuleExample("FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app", false, "a non-root base image"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var final = subject.FinalStage;
        if (final is null || final.LastInherited("USER") is not null)
        {
            yield break;
        }

        var root = final;
        while (root.BaseStage is not null)
        {
            root = root.BaseStage;
        }

        if (root.BaseImage.Contains("nonroot", StringComparison.OrdinalIgnoreCase) || root.BaseImage.Contains("rootless", StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        if (final.IsScratch)
        {
            yield return DockerfileFindings.At(Rule, subject, context.Target, final, final.From, "The final stage is built FROM scratch and sets no USER: the image runs as root (UID 0).", Severity.Medium);
            yield break;
        }

        var drop = PrivilegeDrop.Find(subject, final);
        yield return drop is null
            ? DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The final stage (FROM {final.BaseImage}) sets no USER; it runs as the base image's user, usually root.")
            : DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The final stage (FROM {final.BaseImage}) sets no USER, so it starts as the base image's user; {drop}, which usually switches to an unprivileged user.", Severity.Info);
    }
}
