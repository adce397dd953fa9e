namespace Strata.Images.Hardening.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The image config has no HEALTHCHECK (or disables it).</summary>
public sealed class NoHealthcheck : IImageCheck
{
    public Rule Rule { get; } = new()
    {
        Id = "IMG-012",
        Title = "No HEALTHCHECK",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "Without a health check, Docker and Podman only know whether the process is alive, not whether it works: a hung or half-broken container keeps receiving traffic and is never restarted. Only Docker-format images carry one (the OCI config has no such field); Kubernetes ignores it and uses probes instead.",
        Remediation = "Add HEALTHCHECK CMD [\"/app/server\", \"--health\"] (the application's own binary, not curl), build with --format docker where needed, and define liveness/readiness probes for Kubernetes.",
        References = ["https://docs.docker.com/reference/dockerfile/#healthcheck"],
        Equivalents = ["Dockle CIS-DI-0006", "Trivy DS026 (on the Dockerfile)"],
        Examples =
        [
            new RuleExample("{\"User\":\"10001\"}", true),
            new RuleExample("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}", true, "disabled"),
            new RuleExample("{\"Healthcheck\":{\"Test\":[\"CMD\",\"/app/server\",\"--health\"]}}", false),
        ],
    };

    public IEnumerable<Finding> Evaluate(ImageView image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Config is not { } config)
        {
            yield break;
        }

        if (config.Healthcheck is not { } check || check.Test.Count == 0)
        {
            yield return Finding.For(Rule, image.Target, new Location { JsonPath = "$.config.Healthcheck" }, "The image defines no HEALTHCHECK.");
        }
        else if (check.Test[0] == "NONE")
        {
            yield return Finding.For(Rule, image.Target, new Location { JsonPath = "$.config.Healthcheck.Test" }, "The image disables its health check (HEALTHCHECK NONE).", Evidence.Plain("Test: [\"NONE\"]"));
        }
    }
}
