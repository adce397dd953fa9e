namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// The final stage declares no HEALTHCHECK (HEALTHCHECK NONE counts as a decision): Low for an image that runs a
/// service of its own (a CMD or ENTRYPOINT), information for one that looks like a base image, silent with ONBUILD.
/// </summary>
public sealed class FinalStageWithoutHealthcheck : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-014",
        Title = "No HEALTHCHECK in the final stage",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without a HEALTHCHECK, Docker, Podman and Swarm only know whether the process exists, not whether it works: a hung or wedged service keeps receiving traffic and is never restarted. (Kubernetes ignores HEALTHCHECK and uses its own probes; declare those there.) The rule looks at the image, not at build stages, and weighs what it proves: a final stage with its own CMD or ENTRYPOINT runs a service (Low); one without either is most likely a base image for others, where no HEALTHCHECK is normal (information, in case it runs its base image's service); one with ONBUILD triggers is a base image by design (not reported).",
        Remediation = "Add a cheap check of the service itself, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"healthcheck\"]`, or write `HEALTHCHECK NONE` to record that the image is checked elsewhere (Kubernetes probes).",
        References = ["https://docs.docker.com/reference/dockerfile/#healthcheck"],
        Equivalents = ["Dockle CIS-DI-0006", "Hadolint DL3057", "Checkov CKV_DOCKER_2", "Trivy DS-0026"],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]", true),
            new RuleExample("FROM nginx:1.27\nCOPY site /usr/share/nginx/html", true, "information: it may run its base image's service"),
            new RuleExample("FROM debian:12 AS base\nENTRYPOINT [\"/app\"]\nFROM base\nCOPY app /app", true, "the ENTRYPOINT is inherited"),
            new RuleExample("FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\nCMD [\"nginx\", \"-g\", \"daemon off;\"]", false),
            new RuleExample("FROM nginx:1.27\nHEALTHCHECK NONE", false, "an explicit decision"),
            new RuleExample("FROM debian:12\nONBUILD COPY . /src\nONBUILD RUN make -C /src", false, "a base image for other builds"),
            new RuleExample("FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nHEALTHCHECK CMD [\"/app\", \"health\"]\nCOPY --from=build /app /app\nCMD [\"/app\"]", false, "build stages need none"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var final = subject.FinalStage;
        if (final is null || final.LastInherited("HEALTHCHECK") is not null || final.LastInherited("ONBUILD") is not null)
        {
            yield break;
        }

        var runs = final.LastInherited("ENTRYPOINT") ?? final.LastInherited("CMD");
        yield return runs is not null
            ? DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The image runs a service ({runs.Keyword} at line {runs.StartLine}) but declares no HEALTHCHECK.")
            : DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The final stage (FROM {final.BaseImage}) declares no HEALTHCHECK and no CMD or ENTRYPOINT: normal for a base image; if it runs its base image's service, add a HEALTHCHECK.", Severity.Info);
    }
}
