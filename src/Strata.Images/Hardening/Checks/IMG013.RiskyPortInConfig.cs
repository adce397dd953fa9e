namespace Strata.Images.Hardening.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Oci.Model;

/// <summary>EXPOSE of ports that mean remote administration: SSH, telnet, the Docker API.</summary>
public sealed class RiskyPortInConfig : ImageConfigCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "IMG-013",
        Title = "Risky port exposed",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "The image declares ports for remote administration: 22 (SSH: a second way in, with its own keys and passwords), 23 (telnet: clear-text, HIGH), 2375 (the Docker API without TLS: whoever reaches it is root on the host, HIGH) or 2376 (the Docker API with TLS). Containers are administered through the runtime (exec, logs), not through a daemon inside them.",
        Remediation = "Remove the EXPOSE and the daemon behind it; use docker exec / kubectl exec or an ephemeral debug container to get inside. Never expose a Docker socket or API from a container.",
        References = ["https://docs.docker.com/engine/security/protect-access/", "https://docs.docker.com/reference/dockerfile/#expose"],
        Equivalents = ["Trivy DS004 (port 22, on the Dockerfile)"],
        Examples =
        [
            new RuleExample("{\"ExposedPorts\":{\"22/tcp\":{}}}", true),
            new RuleExample("{\"ExposedPorts\":{\"2375/tcp\":{}}}", true, "HIGH"),
            new RuleExample("{\"ExposedPorts\":{\"8080/tcp\":{}}}", false),
        ],
    };

    protected override IEnumerable<Finding> Evaluate(ImageView image, ImageConfig config, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var port in config.ExposedPorts)
        {
            var number = port.Split('/')[0];
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && RiskyPort.Known.TryGetValue(value, out var risky))
            {
                yield return Finding.For(Rule, context.Target, new Location { JsonPath = $"$.config.ExposedPorts['{port}']" }, $"The image exposes port {port}: {risky.Service} ({risky.Risk}).", Evidence.Plain("EXPOSE " + port), risky.Severity);
            }
        }
    }
}
