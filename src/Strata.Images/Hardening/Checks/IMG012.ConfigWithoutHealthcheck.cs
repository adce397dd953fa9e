namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Model;

/// <summary>The image config has no HEALTHCHECK (or disables it).</summary>
public sealed class ConfigWithoutHealthcheck : ImageConfigCheck
{
    public override Rule Rule { get; } = new()
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

    protected override IEnumerable<Finding> Evaluate(ImageView image, ImageConfig config, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        if (config.Healthcheck is not { } check || check.Test.Count == 0)
        {
            yield return Finding.For(Rule, context.Target, new Location { JsonPath = "$.config.Healthcheck" }, "The image defines no HEALTHCHECK.");
        }
        else if (check.Test[0] == "NONE")
        {
            yield return Finding.For(Rule, context.Target, new Location { JsonPath = "$.config.Healthcheck.Test" }, "The image disables its health check (HEALTHCHECK NONE).", Evidence.Plain("Test: [\"NONE\"]"));
        }
    }
}
