namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>EXPOSE of ports for remote shells or the Docker API.</summary>
public sealed class RiskyPortInExpose : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-020",
        Title = "Remote shell or Docker API port exposed",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "An image that exposes SSH (22) or telnet (23) runs a remote login service inside the container, with keys or passwords to manage and another way in; the Docker API ports (2375 plain, 2376 TLS) give whoever reaches them root on the host.",
        Remediation = "Remove the service and the EXPOSE: use `docker exec` / `kubectl exec` for access, and never publish the Docker API from a container.",
        References = ["https://docs.docker.com/reference/dockerfile/#expose", "https://docs.docker.com/engine/security/protect-access/"],
        Equivalents = ["Checkov CKV_DOCKER_1 (port 22)", "Trivy DS-0004"],
        Examples =
        [
            new RuleExample("FROM debian:12\nEXPOSE 22 8080", true),
            new RuleExample("FROM docker:27-dind\nEXPOSE 2375/tcp", true),
            new RuleExample("FROM debian:12\nEXPOSE 20-30/tcp", true, "a range that includes 22"),
            new RuleExample("FROM debian:12\nEXPOSE 8080/tcp 8443", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var stage in subject.Stages)
        {
            foreach (var expose in stage.Instructions.Where(i => i.Keyword == "EXPOSE" && i.Words is not null))
            {
                var hits = expose.Words!.SelectMany(Ports).Where(RiskyPort.Known.ContainsKey).Distinct().Order().ToList();
                if (hits.Count > 0)
                {
                    var names = string.Join(", ", hits.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} ({RiskyPort.Known[p].Service})")));
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, expose, $"EXPOSE includes {names}.");
                }
            }
        }
    }

    private static IEnumerable<int> Ports(string word)
    {
        var spec = word.Split('/')[0];
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var low) && int.TryParse(spec[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var high))
        {
            return RiskyPort.Known.Keys.Where(p => p >= low && p <= high);
        }

        return int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? [port] : [];
    }
}
