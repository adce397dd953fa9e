namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The final stage declares no HEALTHCHECK (HEALTHCHECK NONE counts as a decision).</summary>
public sealed class FinalStageWithoutHealthcheck : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-014",
        Title = "No HEALTHCHECK in the final stage",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without a HEALTHCHECK, Docker, Podman and Swarm only know whether the process exists, not whether it works: a hung or wedged service keeps receiving traffic and is never restarted. (Kubernetes ignores HEALTHCHECK and uses its own probes; declare those there.)",
        Remediation = "Add a cheap check of the service itself, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app\", \"healthcheck\"]`, or write `HEALTHCHECK NONE` to record that the image is checked elsewhere (Kubernetes probes).",
        References = ["https://docs.docker.com/reference/dockerfile/#healthcheck"],
        Equivalents = ["Dockle CIS-DI-0006", "Hadolint DL3057", "Checkov CKV_DOCKER_2"],
        Examples =
        [
            new RuleExample("FROM nginx:1.27\nCOPY site /usr/share/nginx/html", true),
            new RuleExample("FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1", false),
            new RuleExample("FROM nginx:1.27\nHEALTHCHECK NONE", false, "an explicit decision"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var final = subject.FinalStage;
        if (final is not null && final.LastInherited("HEALTHCHECK") is null)
        {
            yield return DockerfileFindings.At(Rule, subject, context.Target, final, final.From, $"The final stage (FROM {final.BaseImage}) declares no HEALTHCHECK.");
        }
    }
}
